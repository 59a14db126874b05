// Services log at info in production; in tests only warnings and errors are worth reading.
process.env.LOG_LEVEL ??= 'warn';
