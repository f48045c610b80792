import ArgumentParser

@main
struct Videod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "videod",
        abstract: "Self-hosted video stream ingestion and archive server speaking the Kinesis Video Streams APIs.",
        subcommands: [Serve.self, Analyse.self],
        defaultSubcommand: Serve.self
    )
}
