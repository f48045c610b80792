// Only the header matters: libFuzzer (-sanitize=fuzzer) provides LLVMFuzzerRunDriver.
