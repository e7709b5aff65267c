#!/usr/bin/python3
"""Baseline for the request-rate benchmark: pymodbus 3.0's synchronous TCP client, one connection.

usage: pymodbus_client_rps.py PORT SECONDS REGISTERS  → prints "<requests> <seconds>"
"""
import sys
import time

from pymodbus.client import ModbusTcpClient

port, seconds, count = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
client = ModbusTcpClient("127.0.0.1", port=port)
client.connect()
n = 0
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    client.read_holding_registers(0, count, slave=1)
    n += 1
print(n, time.perf_counter() - start)
client.close()
