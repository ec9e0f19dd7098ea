# The TAP addon (tap.c) and the signal addon (signals.c), built by
# scripts/build-native.mjs into native/tap/build/Release/solo5_tap.node and
# solo5_signals.node. Linux only: TAP is a Linux device.
{
  "targets": [
    {
      "target_name": "solo5_tap",
      "sources": ["tap.c"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra"]
    },
    {
      "target_name": "solo5_signals",
      "sources": ["signals.c"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra"]
    }
  ]
}
