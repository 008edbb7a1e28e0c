class DomainError(Exception):
    """A refused action, with a message for the user (in Chinese). Services raise it after
    checking the state; views show it and save nothing."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def add_to(self, form) -> None:
        """Show the refusal on its field when the form has one by that name, else above the
        form (a service may name a field the page's form does not show)."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
