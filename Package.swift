// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ThiDua",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "thidua", targets: ["thidua"]),
        .library(name: "ThiDuaCore", targets: ["ThiDuaCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Reading .csv imports (RFC 4180: quoted fields, embedded separators and line breaks).
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // /metrics: Vapor reports requests through swift-metrics; swift-prometheus writes them in Prometheus's text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The OpenAPI 3.1 description of the API; without the external-loading trait (not needed, slower to build).
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
    ],
    targets: [
        .target(name: "ThiDuaCore", dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams")],
                resources: [.copy("Catalogue")]),
        .target(name: "ThiDuaDocuments", dependencies: [
            "ThiDuaCore",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(
            name: "ThiDuaServer",
            dependencies: [
                "ThiDuaCore", "ThiDuaDocuments",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(name: "thidua", dependencies: [
            "ThiDuaServer", "ThiDuaCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "eligibility-bench", dependencies: ["ThiDuaCore"], path: "Benchmarks/EligibilityBench"),
        // The bare Vapor route that Benchmarks/http/run measures ThiDua's pages against.
        .executableTarget(name: "scoring-bench", dependencies: ["ThiDuaCore"], path: "Benchmarks/ScoringBench"),
        .executableTarget(name: "bare-route", dependencies: [.product(name: "Vapor", package: "vapor")], path: "Benchmarks/BareRoute"),
        .testTarget(name: "ThiDuaCoreTests", dependencies: ["ThiDuaCore"]),
        .testTarget(name: "ThiDuaDocumentsTests", dependencies: ["ThiDuaDocuments"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ThiDuaServerTests", dependencies: [
            "ThiDuaServer",
            .product(name: "VaporTesting", package: "vapor"),
            .product(name: "OpenAPIKit", package: "OpenAPIKit"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
