"""What every view runs on: the task runner, the console context, messages, settings,
the coalescing reader, long jobs behind a progress dialog, and the clock and scheduler chrome."""
