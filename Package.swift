// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tally",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TallyEngine", targets: ["TallyEngine"]),
        .executable(name: "tally", targets: ["tally"]),
        .executable(name: "tally-datagen", targets: ["tally-datagen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        /// Markdown prose of notebooks to HTML.
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        /// The HTTP server of `tally preview`: no SwiftNIO, so it builds in seconds.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        /// The zip container of .xlsx workbooks.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        /// Notebooks' YAML front matter, read and written (`.save`).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        /// The embeddable engine. Text → tokens → syntax tree (Language) → typed logical plan, resolved
        /// from schemas and rewritten (Planning) → the executor over plan nodes and its kernels
        /// (Execution) → tables (Storage); IO reads and writes files; Session ties them together.
        /// No terminal code.
        .target(name: "TallyEngine", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation"), "CLibPQ",
                                                    "CRuntime"]),
        /// What Swift has no spelling for: cache prefetch hints for the hash tables' probe loops
        /// (`__builtin_prefetch`, inlined from a header) and glibc's allocator settings (<malloc.h>).
        .target(name: "CRuntime"),
        /// libpq, PostgreSQL's own client library: connections, the binary result format, COPY and
        /// cancellation of remote queries. Plain C, so only a header for a few poll helpers.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        /// Rendering of tables for terminals and files; notebooks and their Markdown / HTML reports.
        .target(name: "TallyReport", dependencies: ["TallyEngine", .product(name: "Ink", package: "Ink"),
                                                    .product(name: "Yams", package: "Yams")]),
        /// `tally preview`: a notebook served on loopback, re-run as it is edited, parameters as
        /// controls. Its own target, so the engine and the reports do not depend on a server.
        .target(name: "TallyPreview", dependencies: ["TallyReport", "TallyEngine",
                                                     .product(name: "FlyingFox", package: "FlyingFox")]),
        /// libedit, through a header-only shim for its variadic C calls.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        /// The interactive shell: line editing, completion, dot-commands, history.
        .target(name: "TallyShell", dependencies: ["TallyEngine", "TallyReport", "CEditLine",
                                                   .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "tally",
            dependencies: [
                "TallyEngine",
                "TallyShell",
                "TallyReport",
                "TallyPreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Deterministic generator of the plan datasets and of the benchmark records.
        .target(name: "TallyDatagen"),
        .executableTarget(name: "tally-datagen", dependencies: ["TallyDatagen"]),

        /// The fuzz targets: arbitrary bytes into each reader and stage (see `Fuzz/README.md`).
        .target(name: "TallyFuzz", dependencies: ["TallyEngine", "TallyReport"]),
        /// Built with `-sanitize=fuzzer` by `make fuzz` it is a libFuzzer binary; built plainly it
        /// replays the committed corpora (`tally-fuzz replay`), as CI does.
        .executableTarget(name: "tally-fuzz", dependencies: ["TallyFuzz", "CFuzzDriver"]),
        /// libFuzzer's driver called from Swift's own `main`.
        .target(name: "CFuzzDriver"),

        .testTarget(
            name: "TallyEngineTests",
            dependencies: ["TallyEngine", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // Read through #filePath by the differential tests, not bundled.
            exclude: ["Differential/queries", "Differential/data", "Conformance/queries", "Conformance/data", "Fidelity/corpus"]
        ),
        /// Uses only the public API of TallyEngine, as an embedding program would.
        .testTarget(name: "TallyEmbeddingTests", dependencies: ["TallyEngine"]),
        .testTarget(name: "TallyReportTests", dependencies: ["TallyReport", "TallyEngine"]),
        .testTarget(name: "TallyPreviewTests", dependencies: ["TallyPreview", "TallyReport", "TallyEngine"]),
        .testTarget(name: "TallyShellTests", dependencies: ["TallyShell"]),
        .testTarget(name: "TallyDatagenTests", dependencies: ["TallyDatagen"]),
        .testTarget(name: "TallyFuzzTests", dependencies: ["TallyFuzz"]),
        .testTarget(name: "TallyCLITests", dependencies: ["tally"]),
    ]
)
