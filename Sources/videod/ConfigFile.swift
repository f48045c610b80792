import ArgumentParser
import Foundation
import FrameAnalysis
import Fragments
import VideodServer
import VideoIngest
import Yams

/// `videod serve --config videod.yaml`: the server's flags (`server:`, keys named as the flags, in
/// kebab-case or camelCase) and its streams (`streams:`, each with an optional camera `source`,
/// `analysis` and `retention`). Every problem is refused with its line.
struct ConfigFile {
    /// The `server:` settings as command-line arguments; the real command line comes after them,
    /// so a flag given there wins.
    var arguments: [String] = []
    var streams: [DeclaredStream] = []

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func load(path: String) throws -> ConfigFile {
        // A TOML file would be misread as YAML. TOMLKit, the one TOML package on this project's
        // package list, does not resolve (it needs swift-checkit, which is not on the list).
        if path.lowercased().hasSuffix(".toml") {
            throw Problem(description: "\(path): TOML is not supported; write the same settings as YAML (ops/videod.example.yaml)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "\(path): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(description: "\(path): not UTF-8 text") }
        do {
            return try parse(text)
        } catch let problem as Problem {
            throw Problem(description: "\(path):\(problem.description)")
        }
    }

    static func parse(_ text: String) throws -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Problem(description: "\(error)".replacingOccurrences(of: "\n", with: " "))
        }
        var file = ConfigFile()
        guard let root else { return file }
        for (key, value) in try mapping(root, "the file") {
            switch try string(key) {
            case "server": file.arguments = try serverArguments(value)
            case "streams": file.streams = try streams(value)
            case let other: throw problem(key, "unknown section \"\(other)\" (known: server, streams)")
            }
        }
        return file
    }

    // MARK: server

    private static func serverArguments(_ node: Node) throws -> [String] {
        var arguments: [String] = []
        for (key, value) in try mapping(node, "server") {
            let flag = kebabCase(try string(key))
            if flag == "config" { throw problem(key, "config cannot name another file") }
            var candidate: [String]
            switch value {
            case .scalar where value.tag.description.hasSuffix("bool") || isBoolean(value):
                candidate = value.bool == true ? ["--\(flag)"] : ["--no-\(flag)"]
                // A flag without a --no- form (like rtsp-basic-auth) is off by leaving it out.
                if value.bool == false, (try? Serve.parse(candidate)) == nil, (try? Serve.parse(["--\(flag)"])) != nil { candidate = [] }
            case .scalar:
                candidate = ["--\(flag)", try string(value)]
            case .sequence(let items):
                candidate = try items.flatMap { ["--\(flag)", try string($0)] }
            case .mapping, .alias:
                throw problem(value, "server.\(flag) must be a value or a list of values")
            }
            do {
                _ = try Serve.parse(candidate)
            } catch {
                throw problem(key, "server.\(flag): \(Serve.message(for: error))")
            }
            arguments += candidate
        }
        return arguments
    }

    private static func isBoolean(_ node: Node) -> Bool {
        guard let text = node.scalar?.string else { return false }
        return ["true", "false", "yes", "no", "on", "off"].contains(text.lowercased()) && node.scalar?.style == .plain
    }

    static func kebabCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                out += "-" + character.lowercased()
            } else {
                out.append(character == "_" ? "-" : character)
            }
        }
        return out
    }

    // MARK: streams

    private static func streams(_ node: Node) throws -> [DeclaredStream] {
        guard case .sequence(let items) = node else { throw problem(node, "streams must be a list of streams (- name: …)") }
        var declared: [DeclaredStream] = []
        for item in items {
            var stream = DeclaredStream(name: "", line: item.mark?.line ?? 0)
            for (key, value) in try mapping(item, "a stream") {
                switch try string(key) {
                case "name":
                    stream.name = try string(value)
                    guard StreamName.isValid(stream.name) else { throw problem(value, StreamName.rule) }
                case "source":
                    if value.null != nil {
                        stream.source = .some(nil)
                    } else {
                        let url = try string(value)
                        if let why = PullService.problem(with: url) { throw problem(value, why) }
                        stream.source = .some(url)
                    }
                case "analysis":
                    stream.analysis = try decode(AnalysisSettings.self, value, known: AnalysisSettings.memberNames, what: "analysis")
                    if let why = stream.analysis?.problem() { throw problem(value, why) }
                case "retention":
                    let retention = try decode(StreamRetention.self, value, known: StreamRetention.memberNames, what: "retention")
                    do {
                        _ = try retention.rule()
                    } catch {
                        throw problem(value, "retention: \(error)")
                    }
                    stream.retention = retention
                case let other:
                    throw problem(key, "unknown stream setting \"\(other)\" (known: name, source, analysis, retention)")
                }
            }
            guard !stream.name.isEmpty else { throw problem(item, "a stream needs a name") }
            if let earlier = declared.first(where: { $0.name == stream.name }) {
                throw problem(item, "stream \(stream.name) is declared twice (first on line \(earlier.line))")
            }
            declared.append(stream)
        }
        return declared
    }

    /// A mapping decoded through JSON, as the API decodes the same settings; unknown keys refused.
    private static func decode<T: Decodable>(_ type: T.Type, _ node: Node, known: [String], what: String) throws -> T {
        for (key, _) in try mapping(node, what) where !known.contains(try string(key)) {
            throw problem(key, "unknown \(what) setting \"\(try string(key))\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        do {
            let json = try JSONSerialization.data(withJSONObject: try plain(node))
            return try JSONDecoder().decode(T.self, from: json)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context), let DecodingError.keyNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw problem(node, "\(what).\(path) has the wrong type")
        }
    }

    /// A node as JSON-ready values: numbers and booleans as YAML reads them, the rest as text.
    private static func plain(_ node: Node) throws -> Any {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return NSNull() }
                if let bool = node.bool, isBoolean(node) { return bool }
                if let int = node.int { return int }
                if let double = node.float, double.isFinite { return double }
            }
            return scalar.string
        case .sequence(let items):
            return try items.map(plain)
        case .mapping(let pairs):
            var object: [String: Any] = [:]
            for (key, value) in pairs { object[try string(key)] = try plain(value) }
            return object
        case .alias:
            throw problem(node, "aliases are not supported")
        }
    }

    // MARK: helpers

    private static func mapping(_ node: Node, _ what: String) throws -> Node.Mapping {
        guard case .mapping(let pairs) = node else { throw problem(node, "\(what) must be a mapping (key: value)") }
        return pairs
    }

    private static func string(_ node: Node) throws -> String {
        guard case .scalar(let scalar) = node else { throw problem(node, "expected a single value here") }
        return scalar.string
    }

    private static func problem(_ node: Node, _ message: String) -> Problem {
        Problem(description: "\(node.mark.map { "line \($0.line)" } ?? "?"): \(message)")
    }
}
