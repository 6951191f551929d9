import Foundation

extension HTTPServerConfiguration {
    /// HTTPS through libmicrohttpd's own TLS (GnuTLS): a certificate and its private key, both PEM files.
    public struct TLS: Sendable, Equatable {
        /// PEM file with the server's certificate, followed by any intermediate certificates.
        public var certificateFile: String
        /// PEM file with the certificate's private key, not encrypted.
        public var keyFile: String

        public init(certificateFile: String, keyFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }

        /// The GnuTLS priorities: its usual cipher choices, TLS 1.2 and 1.3 only.
        static let priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

        /// Both files' text, checked to look like what they should be (GnuTLS checks the rest at start).
        func load() throws(HTTPServerError) -> (certificate: String, key: String) {
            let certificate = try Self.read(certificateFile)
            let key = try Self.read(keyFile)
            guard certificate.contains("-----BEGIN CERTIFICATE-----") else {
                throw .tlsFileNotPEM(path: certificateFile, expected: "a PEM certificate (-----BEGIN CERTIFICATE-----)")
            }
            guard key.contains("PRIVATE KEY-----"), !key.contains("ENCRYPTED") else {
                throw .tlsFileNotPEM(
                    path: keyFile, expected: "an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)")
            }
            return (certificate, key)
        }

        private static func read(_ path: String) throws(HTTPServerError) -> String {
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                throw .tlsFileUnreadable(path: path)
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
