"""The Qt console: views, table models, operations and the task runner."""
