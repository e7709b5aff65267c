// Integration tests assert schedules by wall-clock timing and stop, freeze and restart real servers; run
// one class at a time so that two of them never compete for this machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
