"""What the demo says, apart from the code that seeds it."""
