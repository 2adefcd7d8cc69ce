"""Root of the test folders. Being a conftest.py here puts ``tests/`` on ``sys.path`` (pytest's
default "prepend" import mode), so any test, run alone or in the suite, can import the helper
modules shared across folders: ``served`` (a real ``syncctl emulator serve`` process) and
``user_repo`` (a user's repository: a good job, git with a fixed identity, syncctl on PATH)."""
