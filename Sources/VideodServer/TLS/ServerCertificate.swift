import Foundation
import Logging
import NIOCore
import NIOSSL

/// The server's certificate chain and key (PEM files), read at start and again on SIGHUP. Every
/// TLS handshake — HTTPS and RTSPS — takes the current pair through NIOSSL's context callback, so
/// a renewed certificate is served to new connections without a restart; a renewal that does not
/// load is logged and the old pair kept.
public final class ServerCertificate: @unchecked Sendable {
    let certificatePath: String
    let keyPath: String
    private let logger: Logger
    private let lock = NSLock()
    private var chain: [NIOSSLCertificate]
    private var key: NIOSSLPrivateKey

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(certificatePath: String, keyPath: String, logger: Logger) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.logger = logger
        (chain, key) = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
    }

    private static func load(certificatePath: String, keyPath: String) throws -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw LoadError(description: "--tls-cert \(certificatePath): not a readable PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw LoadError(description: "--tls-cert \(certificatePath): no certificate in the file") }
        do {
            return (chain, try NIOSSLPrivateKey(file: keyPath, format: .pem))
        } catch {
            throw LoadError(description: "--tls-key \(keyPath): not a readable PEM private key (\(error))")
        }
    }

    /// Reads the files again (SIGHUP); keeps the current pair if they do not load.
    public func reload() {
        do {
            let (chain, key) = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
            lock.withLock { (self.chain, self.key) = (chain, key) }
            logger.notice("TLS certificate reloaded", metadata: ["certificate": "\(certificatePath)"])
        } catch {
            logger.error("TLS certificate not reloaded; serving the previous one", metadata: ["error": "\(error)"])
        }
    }

    /// A server configuration whose every handshake uses the pair current at that moment.
    public func serverConfiguration() -> TLSConfiguration {
        let (chain, key) = lock.withLock { (self.chain, self.key) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        configuration.sslContextCallback = { [self] _, promise in
            let (chain, key) = lock.withLock { (self.chain, self.key) }
            var current = NIOSSLContextConfigurationOverride()
            current.certificateChain = chain.map { .certificate($0) }
            current.privateKey = .privateKey(key)
            promise.succeed(current)
        }
        return configuration
    }

    /// What a raw listener (RTSPS) puts first in each connection's pipeline.
    func channelPreparation() throws -> @Sendable (any Channel) throws -> Void {
        let context = try NIOSSLContext(configuration: serverConfiguration())
        return { channel in try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
    }
}
