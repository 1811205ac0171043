"""Reads and writes block data tokens with the `cryptography` package's Fernet, as upstream Prefect does.

Usage: fernet_interop.py KEY TOKEN NEW_JSON
Prints {"decrypted": <TOKEN's JSON>, "token": <NEW_JSON encrypted with KEY>}.
"""
import json
import sys

from cryptography.fernet import Fernet

key, token, new_json = sys.argv[1:4]
fernet = Fernet(key.encode())
decrypted = json.loads(fernet.decrypt(token.encode()).decode())
print(json.dumps({"decrypted": decrypted, "token": fernet.encrypt(json.dumps(json.loads(new_json)).encode()).decode()}))
