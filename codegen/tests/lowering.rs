//! What lowering hands the emitters: names already decided, protocol test-case params as typed
//! literals.

use codegen::ir::{
    CrateName, FloatLiteral, FloatValue, Literal, ProtocolTestKind, Service, ShapeKind,
    StructureLiteral, UnionLiteral,
};

fn lowered(fixture: &str) -> Service {
    let json = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(format!("{fixture}.json")),
    )
    .expect("the fixture is readable");
    let model = codegen::parse(&json).expect("the fixture parses");
    codegen::lower::lower(&model, &codegen::Selection::default()).expect("the fixture lowers")
}

fn service() -> Service {
    lowered("protocol_tests")
}

#[test]
fn names_are_decided_by_lowering() {
    let service = lowered("union");
    let crate_name = |package: &str, ident: &str| CrateName {
        package: package.to_owned(),
        ident: ident.to_owned(),
    };
    assert_eq!(
        service.crates.model,
        crate_name("fixture-unions-model", "fixture_unions_model")
    );
    assert_eq!(
        service.crates.protocol,
        crate_name("fixture-unions-protocol", "fixture_unions_protocol")
    );
    assert_eq!(
        service.crates.client,
        crate_name("fixture-unions-client", "fixture_unions_client")
    );

    let source = service.shape("example.fixtures#Source");
    assert_eq!(source.functions.ser, "ser_source");
    assert_eq!(source.functions.de, "de_source");
    let ShapeKind::Union(union) = &source.kind else {
        panic!("`Source` is a union");
    };
    let variants: Vec<_> = union.members.iter().map(|m| m.variant.as_deref()).collect();
    assert_eq!(
        variants,
        [
            Some("InstanceId"),
            Some("Range"),
            Some("Port"),
            Some("Since"),
            Some("Nested")
        ]
    );
    assert_eq!(union.unknown_variant.as_deref(), Some("Unknown"));

    let range = service.shape("example.fixtures#PortRange");
    let ShapeKind::Structure(structure) = &range.kind else {
        panic!("`PortRange` is a structure");
    };
    assert_eq!(structure.unknown_variant, None);
    assert_eq!(structure.members[0].set_fn, "set_from");
    assert_eq!(structure.members[0].variant, None);
}

fn response_params<'s>(service: &'s Service, id: &str) -> &'s StructureLiteral {
    let test = service
        .protocol_tests
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no test `{id}`"));
    match &test.kind {
        ProtocolTestKind::Response(case) => &case.params,
        other => panic!("`{id}` is not a response case: {other:?}"),
    }
}

const NAN: Literal = Literal::Float(FloatLiteral {
    double: true,
    value: FloatValue::NaN,
});

#[test]
fn params_are_resolved_against_their_shapes() {
    let service = service();
    let params = response_params(&service, "GetItemRecursiveFloats");
    assert_eq!(params.shape, "example.fixtures#GetItemResult");
    let names: Vec<&str> = params.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Item", "Metrics", "Measure"], "model order");

    // A recursive member is boxed, with its Rust field name.
    let Literal::Structure(item) = &params.members[0].value else {
        panic!("`Item` is a structure: {:?}", params.members[0]);
    };
    let parent = item.member("Parent").expect("`Parent` is set");
    assert_eq!(
        (parent.field.as_str(), parent.optional, parent.boxed),
        ("parent", true, true)
    );

    // Map entries are sorted by key; enum keys keep their shape and know their variant.
    let Literal::Map(entries) = &params.members[1].value else {
        panic!("`Metrics` is a map: {:?}", params.members[1]);
    };
    let keys: Vec<_> = entries
        .iter()
        .map(|(key, _)| match key {
            Literal::Enum(e) => (e.shape.as_str(), e.value.as_str(), e.variant.as_deref()),
            other => panic!("an enum key, not {other:?}"),
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("example.fixtures#ItemKind", "large", Some("Large")),
            ("example.fixtures#ItemKind", "small", Some("Small")),
        ]
    );
    assert_eq!(
        entries[0].1,
        Literal::Float(FloatLiteral {
            double: true,
            value: FloatValue::Number(-0.5)
        })
    );
    assert_eq!(entries[1].1, NAN);

    // A union holds its one member as a variant; a recursive one is boxed.
    let Literal::Union(UnionLiteral {
        variant,
        boxed,
        value,
        ..
    }) = &params.members[2].value
    else {
        panic!("`Measure` is a union: {:?}", params.members[2]);
    };
    assert_eq!((variant.as_str(), *boxed), ("Within", true));
    let Literal::Union(inner) = &**value else {
        panic!("`Within` is a union: {value:?}");
    };
    assert_eq!((inner.variant.as_str(), &*inner.value), ("Exact", &NAN));
}

/// An empty `smithy.api#auth` or `smithy.api#optionalAuth` makes an operation unsigned; the
/// service's `[sigv4]` leaves the others signed.
#[test]
fn operations_without_auth_are_unsigned() {
    let service = lowered("auth");
    let unsigned: Vec<(&str, bool)> = service
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op.unsigned))
        .collect();
    assert_eq!(
        unsigned,
        [("Exchange", true), ("Peek", true), ("Whoami", false)]
    );
    let client_cases: Vec<&str> = service.client_tests.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(client_cases, ["ExchangeIsNotSigned", "PeekIsNotSigned"]);
}
