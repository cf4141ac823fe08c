"""Assessment instruments, scales and curricula."""
