#!/usr/bin/python3
"""An independent Modbus peer for EnergyMonitor's interoperability tests, built on Debian's pymodbus 3.0.

It encodes the values it is given with pymodbus's own BinaryPayloadBuilder (not with EnergyMonitor's code),
lays them out from register 0 in both the holding and the input table, prints the layout as one JSON line,
and serves unit 1 over TCP (socket or RTU framing) or a serial device until killed.

usage: pymodbus_server.py SPEC.json (--tcp PORT | --serial DEVICE) [--framer socket|rtu]
"""
import argparse
import asyncio
import json
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

ORDERS = {  # (byte order within a word, word order)
    "ABCD": (Endian.Big, Endian.Big),
    "CDAB": (Endian.Big, Endian.Little),
    "BADC": (Endian.Little, Endian.Big),
    "DCBA": (Endian.Little, Endian.Little),
}
ADDERS = {
    "int16": "add_16bit_int", "uint16": "add_16bit_uint",
    "int32": "add_32bit_int", "uint32": "add_32bit_uint",
    "int64": "add_64bit_int", "uint64": "add_64bit_uint",
    "float32": "add_32bit_float", "float64": "add_64bit_float",
}
BLOCK = 200


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("--tcp", type=int)
    parser.add_argument("--serial")
    parser.add_argument("--framer", default="socket", choices=["socket", "rtu"])
    args = parser.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    registers, layout = [], []
    for item in spec["values"]:
        byteorder, wordorder = ORDERS[item["order"]]
        builder = BinaryPayloadBuilder(byteorder=byteorder, wordorder=wordorder)
        value = item["value"] if item["type"].startswith("float") else int(item["value"])
        getattr(builder, ADDERS[item["type"]])(value)
        encoded = builder.to_registers()
        layout.append({**item, "address": len(registers), "count": len(encoded)})
        registers.extend(encoded)
    registers += [0] * (BLOCK - len(registers))
    coils = spec.get("coils", [])
    coils += [False] * (BLOCK - len(coils))

    # zero_mode: request address N is list index N, as on the wire.
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, list(coils)),
        co=ModbusSequentialDataBlock(0, list(coils)),
        hr=ModbusSequentialDataBlock(0, list(registers)),
        ir=ModbusSequentialDataBlock(0, list(registers)),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={1: unit}, single=False)
    print(json.dumps({"layout": layout, "block": BLOCK}), flush=True)

    framer = ModbusRtuFramer if args.framer == "rtu" else ModbusSocketFramer
    if args.tcp:
        asyncio.run(StartAsyncTcpServer(context=context, address=("127.0.0.1", args.tcp), framer=framer))
    else:
        asyncio.run(StartAsyncSerialServer(context=context, port=args.serial, framer=ModbusRtuFramer, baudrate=9600))


if __name__ == "__main__":
    sys.exit(main())
