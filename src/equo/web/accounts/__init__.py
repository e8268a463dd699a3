"""Users, login (password then optional TOTP) and external identities (SPID/CIE later)."""
