"""Plain HTTP plumbing shared by the emulator and the replay server: a neutral request and
response (:mod:`harness.http.exchange`) and a loopback server for any app (:mod:`harness.http.server`).
It imports nothing of the harness but its errors."""
