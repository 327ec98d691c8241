// libFuzzer's entry for programs that keep their own main (LLVM libFuzzer documentation, "Using libFuzzer as
// a library"). Only declared here: scripts/fuzz links libclang_rt.fuzzer_no_main, which defines it; a normal
// build never references it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
