# The TAP addon (tap.c), built by scripts/build-native.mjs into
# native/tap/build/Release/solo5_tap.node. Linux only: TAP is a Linux device.
{
  "targets": [
    {
      "target_name": "solo5_tap",
      "sources": ["tap.c"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra"]
    }
  ]
}
