#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide allocator settings for large numeric requests. glibc hands out blocks above its mmap
/// threshold (128 KiB at first, raised up to 32 MiB as such blocks are freed) as fresh mappings and
/// returns the heap's free top to the kernel past the trim threshold, so every large answer (a
/// 100,000-point derivative writes several 0.8 MB arrays and a 5.8 MB body) paid again for page faults
/// and the kernel's zeroing of each page: measured at 1,000,000 points in process (`NablaBenchmarks
/// derivative`), ~30 % of the time. Keeping blocks up to 32 MiB in the heap and up to 64 MiB of free
/// memory before trimming makes the next request reuse the pages. The cost: up to 64 MiB of freed
/// memory may stay resident per malloc arena after a burst of large requests, so the arenas are
/// capped at the core count (glibc's default is 8 per core, and each thread that allocates while the
/// others hold theirs may start one: a 10-minute soak kept growing in steps as threads found new
/// arenas).
public enum MemoryTuning {
    /// Applies the settings; call once at process start, before worker threads allocate. Elsewhere
    /// than glibc, nothing.
    public static func apply() {
        #if canImport(Glibc)
            // <malloc.h> is not part of Swift's Glibc module: mallopt is looked up by name, with the
            // option numbers glibc's malloc.h defines.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3, arenaMax: Int32 = -8
            _ = mallopt(mmapThreshold, 32 << 20)
            _ = mallopt(trimThreshold, 64 << 20)
            _ = mallopt(arenaMax, Int32(max(2, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        #endif
    }
}
