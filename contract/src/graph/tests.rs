use super::*;

const NESTED: &str = r##"
openapi: 3.0.3
info: {title: nested, version: '1'}
paths:
  /tenants:
    post:
      operationId: CreateTenant
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}}
      responses:
        '200': {description: ok}
  /tenants/{tenant_name}:
    get:
      operationId: GetTenant
      parameters:
        - {name: tenant_name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
  /tenants/{tenant}/databases:
    parameters:
      - {name: tenant, in: path, required: true, schema: {type: string}}
    get:
      operationId: ListDatabases
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Database'}}
    post:
      operationId: CreateDatabase
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Database'}
  /tenants/{tenant}/databases/{database}:
    parameters:
      - {name: tenant, in: path, required: true, schema: {type: string}}
      - {name: database, in: path, required: true, schema: {type: string}}
    delete:
      operationId: DeleteDatabase
      responses:
        '204': {description: gone}
  /tenants/{tenant}/databases/{database}/things:
    parameters:
      - {name: tenant, in: path, required: true, schema: {type: string}}
      - {name: database, in: path, required: true, schema: {type: string}}
    post:
      operationId: CreateThing
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties: {thing_id: {type: integer}, label: {type: string}}
          links:
            Fetch:
              operationId: GetThing
              parameters: {path.thing: '$response.body#/data/thing_id'}
  /tenants/{tenant}/databases/{database}/things/{thing}:
    parameters:
      - {name: tenant, in: path, required: true, schema: {type: string}}
      - {name: database, in: path, required: true, schema: {type: string}}
      - {name: thing, in: path, required: true, schema: {type: integer}}
    get:
      operationId: GetThing
      responses:
        '200': {description: ok}
  /tenants/{tenant}/databases/{database}/things/{thing}/touch:
    parameters:
      - {name: tenant, in: path, required: true, schema: {type: string}}
      - {name: database, in: path, required: true, schema: {type: string}}
      - {name: thing, in: path, required: true, schema: {type: integer}}
    post:
      operationId: TouchThing
      responses:
        '204': {description: touched}
  /reset:
    post:
      operationId: Reset
      responses:
        '200': {description: ok}
  /heartbeat:
    get:
      operationId: Heartbeat
      responses:
        '200': {description: ok}
components:
  schemas:
    Database:
      type: object
      properties:
        id: {type: string, format: uuid}
        name: {type: string}
"##;

fn graph(text: &str) -> (Api, Graph) {
    let spec = generator::load_str(text, "nested.yaml".as_ref()).expect("loads");
    let api = generator::build_ir(&spec).expect("IR");
    let validator = ContractValidator::new(&spec).expect("compiles");
    let document = serde_json::to_value(&spec.document).expect("JSON");
    let graph = Graph::new(&api, &validator, &document);
    (api, graph)
}

fn node<'g>(api: &Api, graph: &'g Graph, id: &str) -> &'g Node {
    let index = api
        .operations
        .iter()
        .position(|op| op.id == id)
        .expect("operation");
    &graph.nodes[index]
}

fn explained(api: &Api, graph: &Graph, id: &str) -> Vec<String> {
    node(api, graph, id)
        .inputs
        .iter()
        .map(|input| input.explain(api))
        .collect()
}

#[test]
fn roles_follow_the_paths() {
    let (api, graph) = graph(NESTED);
    let roles: Vec<(&str, Role)> = api
        .operations
        .iter()
        .zip(&graph.nodes)
        .map(|(op, node)| (op.id.as_str(), node.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("CreateTenant", Role::Create),
            ("GetTenant", Role::Retrieve),
            ("ListDatabases", Role::List),
            ("CreateDatabase", Role::Create),
            ("DeleteDatabase", Role::Delete),
            ("CreateThing", Role::Create),
            ("GetThing", Role::Retrieve),
            ("TouchThing", Role::Action),
            ("Reset", Role::Write),
            ("Heartbeat", Role::Read),
        ]
    );
    assert!(node(&api, &graph, "Reset").guarded.is_some());
    assert!(node(&api, &graph, "CreateTenant").guarded.is_none());
}

#[test]
fn nested_resources_know_their_parents_and_order() {
    let (_, graph) = graph(NESTED);
    let collections: Vec<&str> = graph
        .resource_order()
        .into_iter()
        .map(|r| graph.resources[r].collection.as_str())
        .collect();
    assert_eq!(
        collections,
        [
            "/tenants",
            "/tenants/{tenant}/databases",
            "/tenants/{tenant}/databases/{database}/things"
        ]
    );
    let things = &graph.resources[2];
    assert_eq!(things.parent, Some(1));
    assert_eq!(graph.resources[1].parent, Some(0));
}

#[test]
fn every_parameter_has_its_own_source_with_a_reason() {
    let (api, graph) = graph(NESTED);
    assert_eq!(
        explained(&api, &graph, "GetThing"),
        [
            "tenant from CreateTenant $request.body#/name (path hierarchy)",
            "database from CreateDatabase $response.body#/name (path hierarchy)",
            "thing from CreateThing $response.body#/data/thing_id (link `Fetch`)",
        ]
    );
    // No link to TouchThing: the hierarchy finds the field by its name.
    assert_eq!(
        explained(&api, &graph, "TouchThing")[2],
        "thing from CreateThing $response.body#/data/thing_id (path hierarchy)"
    );
    // The create of a resource does not supply its own path.
    assert_eq!(
        explained(&api, &graph, "CreateDatabase"),
        ["tenant from CreateTenant $request.body#/name (path hierarchy)"]
    );
}

#[test]
fn items_and_id_fields_are_found_in_bodies_and_envelopes() {
    let (_, graph) = graph(NESTED);
    let databases = &graph.resources[1];
    assert_eq!(databases.id_field.as_deref(), Some("name"));
    assert_eq!(databases.list_items.as_deref(), Some(""));
    assert_eq!(databases.created_item.as_deref(), Some(""));
    let things = &graph.resources[2];
    assert_eq!(things.id_field.as_deref(), Some("thing_id"));
    assert_eq!(things.created_item.as_deref(), Some("/data"));
}

#[test]
fn id_candidates_prefer_ids_for_id_parameters_and_names_for_nouns() {
    assert_eq!(
        id_candidates("petId", "/pets")[..3],
        ["petId", "id", "pet_id"]
    );
    assert_eq!(
        id_candidates("database", "/databases")[..4],
        ["database", "database_id", "databaseId", "name"]
    );
    assert_eq!(
        id_candidates("tenant_name", "/tenants")[..3],
        ["tenant_name", "name", "id"]
    );
    assert_eq!(id_candidates("id", "/things")[..2], ["id", "uuid"]);
}

#[test]
fn a_parameter_named_like_another_resources_id_takes_its_source() {
    let text = r#"
openapi: 3.0.3
info: {title: by-id, version: '1'}
paths:
  /things:
    post:
      operationId: CreateThing
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, name: {type: string}}}
  /things/{thing_id}:
    get:
      operationId: GetThing
      parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
  /things/by-id/{thing_id}:
    get:
      operationId: GetThingById
      parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
"#;
    let (api, graph) = graph(text);
    assert_eq!(
        explained(&api, &graph, "GetThingById"),
        ["thing_id from CreateThing $response.body#/id (path hierarchy)"]
    );
}
