"""Password validators with Italian messages where Django's translation has none."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator


class LunghezzaMinimaValidator(MinimumLengthValidator):
    """Django's minimum length check; its Italian catalogue lacks this message."""

    def get_error_message(self) -> str:
        return f"Questa password è troppo corta: servono almeno {self.min_length} caratteri."

    def get_help_text(self) -> str:
        return f"La password deve contenere almeno {self.min_length} caratteri."
