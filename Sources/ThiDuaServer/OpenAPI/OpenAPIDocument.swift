import Foundation
import OpenAPIKit
import ThiDuaCore
import Vapor

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of every `/api/v1/` route, built once from the
/// registered routes (paths, path parameters, roles as `x-roles`) and `APIDescriptions` (summaries, query
/// parameters, the DTO types whose schemas are reflected).
enum OpenAPIDocument {
    /// "GET /api/v1/blocs/:blocID" for every API route, as `APIDescriptions` keys them.
    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map { c -> String in
            if case .parameter(let name) = c { return ":" + name }
            return c.description
        }.joined(separator: "/")
    }

    static func apiRoutes(_ app: Application) -> [Route] {
        app.routes.all.filter { $0.path.first?.description == "api" }
    }

    static let errorSchema = JSONSchema.object(
        description: "Every error of the API: a 4xx status with a Vietnamese reason, and the field it is about when there is one.",
        properties: [
            "error": .boolean(allowedValues: [AnyCodable(true)]),
            "reason": .string(description: "Lý do, bằng tiếng Việt"),
            "field": .string(required: false, nullable: true, description: "Trường dữ liệu bị từ chối"),
        ])

    static let errorStatuses: [(Int, String)] = [
        (400, "Yêu cầu không hợp lệ"), (401, "Cần đăng nhập (mã truy cập thiếu, sai, hết hạn hoặc bị thu hồi)"),
        (403, "Vai trò hoặc phạm vi không cho phép"), (404, "Không tìm thấy"), (409, "Xung đột (trạng thái, khóa lạc quan, trùng)"),
        (413, "Dữ liệu gửi lên quá lớn"), (422, "Dữ liệu không hợp lệ (kèm trường)"), (423, "Tài khoản tạm khóa"), (429, "Thử lại sau (đăng nhập sai nhiều lần); Retry-After"),
    ]

    /// `inRounds`: the parameter belongs to a scoring round's route (its actions are the round's).
    static func pathParameter(_ name: String, inRounds: Bool = false) -> OpenAPI.Parameter {
        let schema: JSONSchema = switch name {
        case "year": .integer(maximum: (Bounded.emulationYears.upperBound, exclusive: false), minimum: (Bounded.emulationYears.lowerBound, exclusive: false))
        case "action" where inRounds: .string(allowedValues: RoundAction.allCases.map { AnyCodable($0.rawValue) })
        case "action": .string(allowedValues: CovenantAction.allCases.filter { $0 != .complete }.map { AnyCodable($0.rawValue) })
        case "task": .integer(maximum: (CovenantContent.maxKeyTasks, exclusive: false), minimum: (1, exclusive: false))
        case "scorer": .string(description: "self, leader, third, hoặc mã (UUID) của đơn vị chấm chéo")
        case "factKind": .string(allowedValues: RegisterService.factKinds.map { AnyCodable($0) })
        case "phase": .string(allowedValues: EmulationPhase.allCases.map { AnyCodable($0.rawValue) })
        default: .string(format: .uuid)
        }
        return .init(name: name, context: .path(schema: schema))
    }

    /// The body with `fields` marked required at its top level.
    static func requiring(_ fields: [String], in body: APIOperation.Body) -> APIOperation.Body {
        guard !fields.isEmpty, case .json(.object(var props)) = body else { return body }
        for i in props.indices where fields.contains(props[i].name) { props[i].required = true }
        return .json(.object(props))
    }

    static func content(_ body: APIOperation.Body) -> OpenAPI.Content.Map {
        switch body {
        case .json(let node): [.json: .b(OpenAPI.Content(schema: node.schema()))]
        case .anyJSON: [.json: .b(OpenAPI.Content(schema: JSONSchema.fragment))]
        case .file(let type): [OpenAPI.ContentType(rawValue: type) ?? .any: .b(OpenAPI.Content(schema: JSONSchema.string(contentEncoding: .binary)))]
        }
    }

    /// The whole document; throws when a route has no description (or a description no route), naming them.
    static func build(_ app: Application) throws -> OpenAPI.Document {
        let routes = apiRoutes(app)
        let keys = Set(routes.map(key))
        let undescribed = keys.subtracting(APIDescriptions.all.keys).sorted()
        let stale = Set(APIDescriptions.all.keys).subtracting(keys).sorted()
        guard undescribed.isEmpty, stale.isEmpty else {
            throw DescriptionMismatch(undescribed: undescribed, stale: stale)
        }
        var paths = OpenAPI.PathItem.Map()
        for route in routes.sorted(by: { key($0) < key($1) }) {
            guard let op = APIDescriptions.all[key(route)] else { continue }
            let path = OpenAPI.Path(route.path.map { c -> String in
                if case .parameter(let name) = c { return "{\(name)}" }
                return c.description
            })
            var parameters: OpenAPI.Parameter.Array = route.path.compactMap { c in
                if case .parameter(let name) = c { return .b(pathParameter(name, inRounds: route.path.first?.description == "rounds" || route.path.contains { $0.description == "rounds" })) }
                return nil
            }
            for q in op.query {
                var schema = q.node.schema(required: false)
                if let r = q.range { schema = .integer(required: false, maximum: (r.upperBound, exclusive: false), minimum: (r.lowerBound, exclusive: false)) }
                parameters.append(.b(.init(name: q.name, context: .query(schema: schema), description: q.description)))
            }
            var responses: OpenAPI.Response.Map = [:]
            let success = OpenAPI.Response(description: op.summary, content: op.response.map(content) ?? [:])
            responses[.status(code: op.status)] = .b(success)
            var errors = errorStatuses
            if op.request != nil { errors.append((415, "Thân yêu cầu phải là JSON (Content-Type: application/json)")) }
            for (code, text) in errors where code != op.status {
                responses[.status(code: code)] = .b(OpenAPI.Response(description: text, content: [.json: .b(OpenAPI.Content(schema: JSONSchema.reference(.component(named: "Error"))))]))
            }
            let policy = route.policy ?? .signedIn
            let roles: [String] = switch policy {
            case .everyone: ["everyone"]
            case .monitoring: ["monitoring"]
            case .signedIn: ["signedIn"]
            case .roles(let set): set.sorted().map(\.rawValue)
            }
            let operation = OpenAPI.Operation(
                summary: op.summary, operationId: key(route).replacingOccurrences(of: " ", with: "_"),
                parameters: parameters,
                requestBody: op.request.map { OpenAPI.Request(content: content(Self.requiring(op.required, in: $0)), required: true) },
                responses: responses,
                security: policy == .everyone ? [] : nil,
                vendorExtensions: ["x-roles": AnyCodable(roles)])
            var item = paths[path].flatMap { $0.b } ?? OpenAPI.PathItem()
            switch route.method {
            case .GET: item.get = operation
            case .POST: item.post = operation
            case .PUT: item.put = operation
            case .DELETE: item.delete = operation
            case .PATCH: item.patch = operation
            default: continue
            }
            paths[path] = .b(item)
        }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: .init(title: "ThiDua API", description: "Công tác thi đua, khen thưởng: tài khoản, tổ chức, giao ước, đăng ký, sổ khen thưởng, xét điều kiện. " +
                        "Gửi `Authorization: Bearer …` (mã lấy tại POST /api/v1/auth/token). `x-roles`: các vai trò được gọi; phạm vi (đơn vị, khối, năm) kiểm tra thêm ở máy chủ.",
                        version: "1"),
            servers: [],
            paths: paths,
            components: .init(schemas: ["Error": errorSchema],
                              securitySchemes: ["bearer": .b(.http(scheme: "bearer", description: "Mã truy cập từ POST /api/v1/auth/token"))]),
            security: [[.component(named: "bearer"): []]])
    }

    struct DescriptionMismatch: Error, CustomStringConvertible {
        var undescribed: [String]
        var stale: [String]
        var description: String {
            "OpenAPI: routes without a description: \(undescribed); descriptions without a route: \(stale)"
        }
    }

    /// The encoded document, made once at start (so that a mismatch stops the start, as a broken catalogue does).
    static func encoded(_ app: Application) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(try build(app))
    }
}

struct OpenAPIKey: StorageKey { typealias Value = Data }

extension Application {
    /// The OpenAPI description, encoded once after the routes are registered.
    var openAPIJSON: Data? {
        get { storage[OpenAPIKey.self] }
        set { storage[OpenAPIKey.self] = newValue }
    }
}

/// Serves the description (no login needed for the description itself).
struct OpenAPIController {
    func register(api: any RoutesBuilder) {
        api.on(.GET, "openapi.json", policy: .everyone) { req -> Response in
            guard let data = req.application.openAPIJSON else { throw Abort(.notFound) }
            let res = Response(status: .ok, body: .init(data: data))
            res.headers.contentType = .json
            return res
        }
    }
}
