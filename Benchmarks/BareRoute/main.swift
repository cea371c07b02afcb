import Vapor

// The yardstick of Benchmarks/http/run: one Vapor route, no middleware, no sessions, no database, production
// environment, the same build settings as `thidua`. `bare-route PORT`.
var env = Environment(name: "production", arguments: ["bare-route"])
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
app.middleware = Middlewares()
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8090 : 8090
app.get("hello") { _ in "Hello, world!" }
try await app.execute()
try await app.asyncShutdown()
