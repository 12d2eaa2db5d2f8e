// Each test starts real processes (the listener, mosquitto, ffmpeg); two at a time suit the 2-core machine.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
