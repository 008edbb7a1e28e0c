class DomainError(Exception):
    """A refused action, with a message for the user (in Chinese). Services raise it after
    checking the state; views show it and save nothing."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
