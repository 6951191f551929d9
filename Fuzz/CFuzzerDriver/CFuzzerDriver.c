#include "CFuzzerDriver.h"

#include <stdio.h>
#include <stdlib.h>

// Without libFuzzer: feed each file named on the command line to the callback once.
__attribute__((weak)) int LLVMFuzzerRunDriver(int *argc, char ***argv,
                                              CFuzzerDriver_Callback callback) {
    int ran = 0;
    for (int i = 1; i < *argc; i++) {
        const char *path = (*argv)[i];
        if (path[0] == '-') continue;  // libFuzzer flags mean nothing here
        FILE *file = fopen(path, "rb");
        if (file == NULL) {
            fprintf(stderr, "cannot open %s\n", path);
            return 1;
        }
        static uint8_t buffer[1 << 20];
        size_t size = fread(buffer, 1, sizeof buffer, file);
        fclose(file);
        callback(buffer, size);
        ran++;
    }
    fprintf(stderr, "ran %d inputs without libFuzzer (build with -sanitize=fuzzer to fuzz)\n", ran);
    return 0;
}
