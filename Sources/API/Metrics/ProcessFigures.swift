#if canImport(Glibc)
    import Glibc
#endif

/// The process's own resident memory and open descriptors, as `GET /metrics` shows them under
/// Prometheus' conventional names (`process_resident_memory_bytes`, `process_open_fds`): what an
/// operator watches for leaks, and what the soak proof samples from outside. Read from `/proc/self`
/// when asked; nil where there is no `/proc` (a few microseconds on Linux).
struct ProcessFigures {
    let residentBytes: Int
    let openDescriptors: Int

    static func current() -> ProcessFigures? {
        #if os(Linux)
            guard let resident = residentPages(), let descriptors = openDescriptorCount() else { return nil }
            let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
            return ProcessFigures(residentBytes: resident * pageSize, openDescriptors: descriptors)
        #else
            return nil
        #endif
    }

    #if os(Linux)
        /// The second field of `/proc/self/statm`: resident pages.
        private static func residentPages() -> Int? {
            let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
            guard fields.count > 1 else { return nil }
            return Int(String(decoding: fields[1], as: UTF8.self))
        }

        /// Entries of `/proc/self/fd`, less the one the listing itself holds open.
        private static func openDescriptorCount() -> Int? {
            guard let directory = opendir("/proc/self/fd") else { return nil }
            defer { closedir(directory) }
            var count = 0
            while let entry = readdir(directory) {
                let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                    name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
                }
                if !isDot { count += 1 }
            }
            return count - 1
        }
    #endif
}
