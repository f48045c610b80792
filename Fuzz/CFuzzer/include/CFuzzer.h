#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, for a binary that has its own main (SwiftPM gives every executable one).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
