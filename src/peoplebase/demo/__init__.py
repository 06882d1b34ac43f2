"""The demo workspace (`workspace`), built from made-up people and words (`people`, `words`)."""
