"""Tokens encrypted at rest with Fernet; several keys allow rotation without downtime.

``TOKEN_ENCRYPTION_KEY`` holds one or more comma-separated Fernet keys. The first encrypts;
all of them decrypt. To rotate: put a new key first, keep the old one after it, deploy,
run ``okr-coach rotate-key`` (re-encrypts every token with the new key), then drop the old.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class TokenCipherError(Exception):
    """A token could not be decrypted with any configured key."""


def generate_key() -> str:
    return Fernet.generate_key().decode()


class TokenCipher:
    def __init__(self, keys: str) -> None:
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        if not parts:
            raise ValueError("at least one encryption key is required")
        try:
            self._fernet = MultiFernet([Fernet(part.encode()) for part in parts])
        except ValueError as error:
            raise ValueError(
                "TOKEN_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes); "
                "make one with `okr-coach new-key`"
            ) from error

    def encrypt(self, plaintext: str | None) -> str | None:
        if plaintext is None:
            return None
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str | None) -> str | None:
        if ciphertext is None:
            return None
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as error:
            raise TokenCipherError("no configured key decrypts this token") from error

    def rotate(self, ciphertext: str | None) -> str | None:
        """The same secret, re-encrypted with the primary key."""
        if ciphertext is None:
            return None
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken as error:
            raise TokenCipherError("no configured key decrypts this token") from error
