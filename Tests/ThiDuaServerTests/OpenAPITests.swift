import Foundation
import OpenAPIKit
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// The OpenAPI description covers exactly the API's routes, is served without login, validates, and its
/// schemas come from the DTO types (so the fuzzer in CI checks real answers against them).
@Suite struct OpenAPITests {
    @Test("Every /api/v1/ route has a description and every description a route")
    func complete() async throws {
        try await withThiDua { app, _ in
            let keys = Set(OpenAPIDocument.apiRoutes(app).map(OpenAPIDocument.key))
            let described = Set(APIDescriptions.all.keys)
            #expect(keys.subtracting(described).sorted() == [], "routes without a description")
            #expect(described.subtracting(keys).sorted() == [], "descriptions without a route")
            #expect(keys.count > 50)
            // The check itself fails loudly: a description of a route that does not exist is refused at build time.
            app.routes.all.removeAll { OpenAPIDocument.key($0) == "GET /api/v1/me" }
            #expect(throws: OpenAPIDocument.DescriptionMismatch.self) { try OpenAPIDocument.build(app) }
        }
    }

    @Test("GET /api/v1/openapi.json: OpenAPI 3.1 without login, with roles, parameters, the error body and reflected schemas")
    func served() async throws {
        try await withThiDua { app, _ in
            let res = try await api(app, .GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            #expect(res.headers.contentType == .json)
            let doc = try JSONDecoder().decode(OpenAPI.Document.self, from: res.body)
            #expect(doc.openAPIVersion == .v3_1_1)
            try doc.validate()
            #expect(doc.paths.count == Set(OpenAPIDocument.apiRoutes(app).map { $0.path.map(\.description).joined(separator: "/") }).count)

            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any])
            let paths = try #require(json["paths"] as? [String: [String: Any]])
            func op(_ path: String, _ method: String) throws -> [String: Any] {
                try #require(paths[path]?[method] as? [String: Any], "\(method) \(path)")
            }
            #expect(try op("/api/v1/audit", "get")["x-roles"] as? [String] == ["office"])
            #expect(try op("/api/v1/covenants/{versionID}/sign", "post")["x-roles"] as? [String] == ["unitHead"])
            #expect(try op("/api/v1/auth/token", "post")["x-roles"] as? [String] == ["everyone"])
            #expect(try op("/api/v1/auth/token", "post")["security"] as? [Any] != nil, "the login route needs no token")
            let login = try #require(((try op("/api/v1/auth/token", "post")["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])
            #expect((login["schema"] as? [String: Any])?["required"] as? [String] == ["username", "password"])
            // Path and query parameters with their bounds.
            let audit = try op("/api/v1/audit", "get")
            let params = try #require(audit["parameters"] as? [[String: Any]])
            let page = try #require(params.first { $0["name"] as? String == "page" }?["schema"] as? [String: Any])
            #expect(page["maximum"] as? Int == 100_000 && page["minimum"] as? Int == 1)
            let deadlines = try op("/api/v1/years/{year}/deadlines/{phase}", "put")
            let phase = try #require((deadlines["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "phase" }?["schema"] as? [String: Any])
            #expect((phase["enum"] as? [String])?.contains("registration") == true)
            // Errors share one schema; a covenant's schema comes from CovenantDTO (its fingerprint, its criteria's kinds).
            let responses = try #require(try op("/api/v1/covenants/{versionID}", "get")["responses"] as? [String: Any])
            #expect(responses["422"] != nil && responses["401"] != nil && responses["200"] != nil)
            let text = String(buffer: res.body)
            #expect(text.contains("\"$ref\":\"#/components/schemas/Error\""))
            #expect(text.contains(#""fingerprint""#) && text.contains(#""targetActual""#))
        }
    }

    @Test("Every request and response type reflects into a schema (only the free-form ones are open)")
    func reflected() {
        let open: Set<String> = ["POST /api/v1/eligibility/check request", "GET /api/v1/openapi.json response"]
        for (key, op) in APIDescriptions.all {
            if case .anyJSON? = op.request { #expect(open.contains(key + " request"), "\(key): request type not reflected") }
            if case .anyJSON? = op.response { #expect(open.contains(key + " response"), "\(key): response type not reflected") }
        }
        // Every field said to be required exists in its request type.
        for (key, op) in APIDescriptions.all where !op.required.isEmpty {
            guard case .json(.object(let props))? = op.request else { Issue.record("\(key): required fields on a body that is not an object"); continue }
            for name in op.required { #expect(props.contains { $0.name == name }, "\(key): no field \(name)") }
        }
        // Optional fields are nullable and not required; recursive types stop at themselves.
        guard case .success(.object(let props)) = SchemaReflector.node(Criterion.self) else { Issue.record("Criterion"); return }
        #expect(props.first { $0.name == "perEvent" }?.required == false)
        #expect(props.first { $0.name == "code" }?.required == true)
        #expect(props.first { $0.name == "children" }?.node == .array(.any))
        #expect(props.first { $0.name == "kind" }?.node == .string(format: .unspecified, cases: CriterionKind.allCases.map(\.rawValue)))
    }
}
