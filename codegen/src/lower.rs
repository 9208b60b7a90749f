//! Validation and lowering: the JSON AST becomes the [`ir`](crate::ir), or an error naming the shape.

mod cases;
mod decode;
mod endpoint;
mod rules;
mod traits;
mod waitable;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Error;
use crate::ast;
use crate::docs::html_to_markdown;
use crate::ir::*;
use crate::naming;

pub use cases::ignore_cases;

const UNIT: &str = "smithy.api#Unit";

/// The trait listing the authentication schemes of a service or an operation, in order of
/// preference.
const AUTH_TRAIT: &str = "smithy.api#auth";
/// The one authentication scheme the generated clients sign with.
const SIGV4: &str = "aws.auth#sigv4";

/// Methods of the generated `Client` that are not operations.
const CLIENT_METHODS: &[&str] = &["new", "config", "endpoint"];

/// What to generate.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Only these operations (by name) and the shapes they reach; all when `None`.
    pub operations: Option<Vec<String>>,
}

/// Lowers a parsed model for the one service it defines.
pub fn lower(model: &ast::Model, selection: &Selection) -> Result<Service, Error> {
    if model.smithy != "2.0" && model.smithy != "2" {
        return Err(Error::model(format!(
            "unsupported Smithy IDL version `{}` (expected 2.0)",
            model.smithy
        )));
    }
    let (service_id, service) = find_service(model)?;
    let mut lowerer = Lowerer {
        model,
        shapes: BTreeMap::new(),
        serialized: BTreeSet::new(),
        deserialized: BTreeSet::new(),
        renames: BTreeMap::new(),
    };

    let aws_service: traits::AwsService =
        traits::get(&service.traits, "aws.api#service", service_id)?.unwrap_or_default();
    let sdk_id = aws_service
        .sdk_id
        .unwrap_or_else(|| shape_name(service_id).to_owned());
    let endpoint_prefix = aws_service
        .endpoint_prefix
        .unwrap_or_else(|| naming::crate_prefix(&sdk_id));
    if !service.traits.contains_key("aws.protocols#awsQuery") {
        return Err(Error::shape(
            service_id,
            "the service does not carry `aws.protocols#awsQuery`; only awsQuery services are generated",
        ));
    }
    let signing_name =
        match traits::get::<traits::Sigv4>(&service.traits, "aws.auth#sigv4", service_id)? {
            Some(sigv4) => sigv4.name,
            None => endpoint_prefix.clone(),
        };
    let version = service
        .version
        .clone()
        .ok_or_else(|| Error::shape(service_id, "the service has no `version`"))?;
    let xml_namespace = traits::get::<traits::XmlNamespace>(
        &service.traits,
        "smithy.api#xmlNamespace",
        service_id,
    )?
    .map(|namespace| namespace.uri);
    let service_paginated = match traits::get(&service.traits, "smithy.api#paginated", service_id)?
    {
        Some(t) => paginated(t, &Paginated::default()),
        None => Paginated::default(),
    };
    let service_auth: Option<Vec<String>> = traits::get(&service.traits, AUTH_TRAIT, service_id)?;

    let mut operation_ids = Vec::new();
    collect_operations(
        model,
        service_id,
        service,
        &mut operation_ids,
        &mut BTreeSet::new(),
    )?;
    if let Some(wanted) = &selection.operations {
        for name in wanted {
            if !operation_ids.iter().any(|id| shape_name(id) == name) {
                return Err(Error::model(format!(
                    "the service has no operation named `{name}`"
                )));
            }
        }
        operation_ids.retain(|id| wanted.iter().any(|w| w == shape_name(id)));
    }
    operation_ids.sort_by(|a, b| shape_name(a).cmp(shape_name(b)));
    operation_ids.dedup();

    // Inputs and outputs used by exactly one operation take the operation's name, as the AWS SDKs do.
    let mut io_uses: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &operation_ids {
        let op = &model.shapes[id.as_str()];
        for t in op.input.iter().chain(op.output.iter()) {
            *io_uses.entry(t.target.as_str()).or_default() += 1;
        }
    }
    for id in &operation_ids {
        let op = &model.shapes[id.as_str()];
        let name = shape_name(id);
        for (target, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
            if let Some(t) = target {
                if t.target != UNIT && io_uses[t.target.as_str()] == 1 {
                    lowerer
                        .renames
                        .insert(t.target.clone(), format!("{name}{suffix}"));
                }
            }
        }
    }

    let mut operations = Vec::new();
    for id in &operation_ids {
        operations.push(lowerer.operation(id, &service_paginated, service_auth.as_deref())?);
    }
    lowerer.check_names(&operations)?;
    // An input or output that no other operation uses, and no shape holds, lives in its
    // operation's module.
    let mut io_users: BTreeMap<String, usize> = BTreeMap::new();
    for op in &operations {
        for id in [&op.input, &op.output] {
            *io_users.entry(id.clone()).or_default() += 1;
        }
    }
    for shape in lowerer.shapes.values() {
        let targets: Vec<&String> = match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                s.members.iter().map(|m| &m.target).collect()
            }
            ShapeKind::List(l) => vec![&l.target],
            ShapeKind::Map(m) => vec![&m.key, &m.value],
            _ => Vec::new(),
        };
        for target in targets {
            if let Some(users) = io_users.get_mut(target) {
                *users += 1;
            }
        }
    }
    // Every plain structure an input reaches gets a builder, unless a setter would be `build`.
    for id in &lowerer.serialized {
        let Some(shape) = lowerer.shapes.get_mut(id) else {
            continue;
        };
        if let ShapeKind::Structure(s) = &shape.kind {
            let clash = s
                .members
                .iter()
                .any(|m| m.field == "build" || m.set_fn == "build");
            if s.error.is_none() && !clash {
                shape.builder = Some(Builder {
                    name: naming::derived_name(&shape.rust_name, "Builder"),
                    checked: s
                        .members
                        .iter()
                        .filter(|m| m.optional && m.required)
                        .map(|m| m.name.clone())
                        .collect(),
                });
            }
        }
    }
    for op in &mut operations {
        op.sensitive_params = sensitive_params(&lowerer.shapes, &op.input);
        op.owned = [&op.input, &op.output]
            .into_iter()
            .filter(|id| io_users[id.as_str()] == 1)
            .cloned()
            .collect();
    }
    for op in &operations {
        if CLIENT_METHODS.contains(&op.fn_name.as_str()) {
            return Err(Error::shape(
                &op.id,
                format!(
                    "would be the client method `{}`, which the client already has for itself",
                    op.fn_name
                ),
            ));
        }
    }
    lowerer.mark_boxes();
    let protocol_tests = cases::protocol_tests(model, &operations, &lowerer.shapes)?;
    let (protocol_tests, client_tests) = endpoint::split_client_tests(&operations, protocol_tests)?;
    let endpoint_rules = rules::endpoint_rules(service_id, &service.traits, &endpoint_prefix)?;
    let waiters = waitable::waiters(model, &operations, &lowerer.shapes)?;
    let read_whole = read_whole(&lowerer.shapes, &lowerer.deserialized);

    Ok(Service {
        shape_name: shape_name(service_id).to_owned(),
        crate_prefix: naming::crate_prefix(&sdk_id),
        crates: crates(&naming::crate_prefix(&sdk_id)),
        sdk_id,
        version,
        xml_namespace,
        signing_name,
        endpoint_prefix,
        title: traits::get(&service.traits, "smithy.api#title", service_id)?,
        docs: docs(&service.traits, service_id)?,
        operations,
        shapes: lowerer.shapes,
        read_whole,
        serialized: lowerer.serialized,
        deserialized: lowerer.deserialized,
        protocol_tests,
        client_tests,
        endpoint_rules,
        waiters,
    })
}

/// The shapes that some deserialized value reads as a whole: the targets of members that are not
/// flattened, of lists and of map values.
fn read_whole(
    shapes: &BTreeMap<String, Shape>,
    deserialized: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut whole = BTreeSet::new();
    for shape in deserialized.iter().filter_map(|id| shapes.get(id)) {
        match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                for member in s.members.iter().filter(|m| !m.flattened) {
                    if !whole.contains(&member.target) {
                        whole.insert(member.target.clone());
                    }
                }
            }
            ShapeKind::List(list) => {
                whole.insert(list.target.clone());
            }
            ShapeKind::Map(map) => {
                whole.insert(map.value.clone());
            }
            _ => {}
        }
    }
    whole
}

fn crates(prefix: &str) -> Crates {
    let name = |suffix: &str| CrateName {
        package: format!("{prefix}-{suffix}"),
        ident: format!("{prefix}_{suffix}").replace('-', "_"),
    };
    Crates {
        model: name("model"),
        protocol: name("protocol"),
        client: name("client"),
    }
}

fn find_service(model: &ast::Model) -> Result<(&str, &ast::Shape), Error> {
    let mut services = model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == "service")
        .map(|(id, s)| (id.as_str(), s));
    let first = services
        .next()
        .ok_or_else(|| Error::model("the model defines no service shape"))?;
    if let Some((second, _)) = services.next() {
        return Err(Error::model(format!(
            "the model defines more than one service (`{}` and `{second}`); generate one at a time",
            first.0
        )));
    }
    Ok(first)
}

/// Operations bound to the service directly or through its resources.
fn collect_operations(
    model: &ast::Model,
    id: &str,
    shape: &ast::Shape,
    out: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Result<(), Error> {
    let lifecycle = [
        &shape.create,
        &shape.put,
        &shape.read,
        &shape.update,
        &shape.delete,
        &shape.list,
    ];
    let ops = shape
        .operations
        .iter()
        .chain(shape.collection_operations.iter())
        .chain(lifecycle.into_iter().flatten());
    for op in ops {
        let target = lookup(model, id, &op.target)?;
        if target.kind != "operation" {
            return Err(Error::shape(
                id,
                format!(
                    "binds `{}`, which is a {}, not an operation",
                    op.target, target.kind
                ),
            ));
        }
        out.push(op.target.clone());
    }
    for resource in &shape.resources {
        if seen.insert(resource.target.clone()) {
            let target = lookup(model, id, &resource.target)?;
            collect_operations(model, &resource.target, target, out, seen)?;
        }
    }
    Ok(())
}

fn lookup<'m>(model: &'m ast::Model, from: &str, target: &str) -> Result<&'m ast::Shape, Error> {
    model.shapes.get(target).ok_or_else(|| {
        Error::shape(
            from,
            format!("refers to `{target}`, which the model does not define"),
        )
    })
}

/// The part of a shape id after `#`.
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

struct Lowerer<'m> {
    model: &'m ast::Model,
    shapes: BTreeMap<String, Shape>,
    serialized: BTreeSet<String>,
    deserialized: BTreeSet<String>,
    renames: BTreeMap<String, String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ser,
    De,
}

impl<'m> Lowerer<'m> {
    fn operation(
        &mut self,
        id: &str,
        defaults: &Paginated,
        service_auth: Option<&[String]>,
    ) -> Result<Operation, Error> {
        let op = &self.model.shapes[id];
        let name = shape_name(id).to_owned();
        let type_name = naming::item_name(&name);
        let input = self.io_structure(id, op.input.as_ref(), &format!("{name}Input"), true)?;
        let output = self.io_structure(id, op.output.as_ref(), &format!("{name}Output"), false)?;
        self.reach(&input, Direction::Ser, id)?;
        self.reach(&output, Direction::De, id)?;
        let mut errors: Vec<String> = Vec::new();
        for error in &op.errors {
            // Some published models list an error twice; once is what it means.
            if errors.contains(&error.target) {
                continue;
            }
            let target = lookup(self.model, id, &error.target)?;
            if target.kind != "structure" || !target.traits.contains_key("smithy.api#error") {
                return Err(Error::shape(
                    id,
                    format!(
                        "lists `{}` as an error, but it is not an error structure",
                        error.target
                    ),
                ));
            }
            self.reach(&error.target, Direction::De, id)?;
            errors.push(error.target.clone());
        }
        let paginated =
            traits::get(&op.traits, "smithy.api#paginated", id)?.map(|t| paginated(t, defaults));
        let host_prefix = endpoint::host_prefix(self.model, id, &op.traits, &input, &self.shapes)?;
        let request_compression = endpoint::request_compression(id, &op.traits)?;
        let unsigned = unsigned(id, &op.traits, service_auth)?;
        let pagination = match &paginated {
            Some(p) => self.pagination(id, &input, &output, p)?,
            None => None,
        };
        Ok(Operation {
            id: id.to_owned(),
            fn_name: naming::function(&name),
            cli_name: naming::cli_name(&name),
            owned: Vec::new(),
            sensitive_params: Vec::new(),
            error_enum: naming::derived_name(&type_name, "Error"),
            type_name,
            input,
            output,
            errors,
            response_tag: format!("{name}Response"),
            result_tag: format!("{name}Result"),
            docs: docs(&op.traits, id)?,
            deprecated: deprecated(&op.traits, id)?,
            paginated,
            host_prefix,
            request_compression,
            unsigned,
            pagination,
            name,
        })
    }

    /// Resolves the `paginated` trait's member names to fields: `None` unless it names both tokens.
    /// The input token and page size are members of the input; the output token and the items are
    /// paths of members through the output's structures (`Page.NextToken`).
    fn pagination(
        &self,
        op: &str,
        input: &str,
        output: &str,
        p: &Paginated,
    ) -> Result<Option<Pagination>, Error> {
        let (Some(input_token), Some(output_token)) = (&p.input_token, &p.output_token) else {
            return Ok(None);
        };
        let fail = |what: &str, path: &str, problem: String| {
            Error::shape(
                op,
                format!("has a `smithy.api#paginated` {what} `{path}` {problem}"),
            )
        };
        if input_token.contains('.') {
            return Err(fail(
                "inputToken",
                input_token,
                String::from("that is a path; it must be a member of the input"),
            ));
        }
        let (input_token_path, target) = self.member_path(input, input_token, |problem| {
            fail("inputToken", input_token, problem)
        })?;
        if !matches!(self.shapes[&target].kind, ShapeKind::Scalar(Scalar::String)) {
            return Err(fail(
                "inputToken",
                input_token,
                String::from("that is not a string"),
            ));
        }
        if let Some(size) = &p.page_size {
            let (_, target) =
                self.member_path(input, size, |problem| fail("pageSize", size, problem))?;
            if !matches!(
                self.shapes[&target].kind,
                ShapeKind::Scalar(Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long)
            ) || size.contains('.')
            {
                return Err(fail(
                    "pageSize",
                    size,
                    String::from("that is not an integer member of the input"),
                ));
            }
        }
        let (output_token_path, target) = self.member_path(output, output_token, |problem| {
            fail("outputToken", output_token, problem)
        })?;
        if !matches!(self.shapes[&target].kind, ShapeKind::Scalar(Scalar::String)) {
            return Err(fail(
                "outputToken",
                output_token,
                String::from("that is not a string"),
            ));
        }
        let items = match &p.items {
            Some(items) => {
                let (path, target) =
                    self.member_path(output, items, |problem| fail("items", items, problem))?;
                if !matches!(
                    self.shapes[&target].kind,
                    ShapeKind::List(_) | ShapeKind::Map(_)
                ) {
                    return Err(fail(
                        "items",
                        items,
                        String::from("that is neither a list nor a map"),
                    ));
                }
                Some(ItemsPath { path, target })
            }
            None => None,
        };
        Ok(Some(Pagination {
            input_token: input_token_path
                .into_iter()
                .next()
                .expect("a member path has a first step"),
            output_token: output_token_path,
            items,
        }))
    }

    /// The fields along a dotted member path from structure `from`, and the last member's target.
    fn member_path(
        &self,
        from: &str,
        path: &str,
        fail: impl Fn(String) -> Error,
    ) -> Result<(Vec<Step>, String), Error> {
        let mut steps = Vec::new();
        let mut at = from.to_owned();
        for name in path.split('.') {
            let ShapeKind::Structure(s) = &self.shapes[&at].kind else {
                return Err(fail(format!(
                    "that goes through `{}`, which is not a structure",
                    self.shapes[&at].name
                )));
            };
            let member = s.members.iter().find(|m| m.name == name).ok_or_else(|| {
                fail(format!(
                    "that names `{name}`, which is not a member of `{}`",
                    self.shapes[&at].name
                ))
            })?;
            steps.push(Step {
                field: member.field.clone(),
                optional: member.optional,
            });
            at = member.target.clone();
        }
        Ok((steps, at))
    }

    /// The input or output structure id, synthesizing an empty one for `smithy.api#Unit`.
    fn io_structure(
        &mut self,
        op_id: &str,
        target: Option<&ast::Target>,
        synthetic_name: &str,
        is_input: bool,
    ) -> Result<String, Error> {
        match target {
            Some(t) if t.target != UNIT => {
                let shape = lookup(self.model, op_id, &t.target)?;
                if shape.kind != "structure" {
                    return Err(Error::shape(
                        op_id,
                        format!(
                            "its input/output `{}` is a {}, not a structure",
                            t.target, shape.kind
                        ),
                    ));
                }
                Ok(t.target.clone())
            }
            _ => {
                let namespace = op_id.split_once('#').map_or("", |(ns, _)| ns);
                let id = format!("{namespace}#{synthetic_name}");
                if self.model.shapes.contains_key(&id) {
                    return Err(Error::shape(
                        op_id,
                        format!(
                            "has no input or output of its own, and the name it would get, `{id}`, is taken"
                        ),
                    ));
                }
                self.shapes.insert(
                    id.clone(),
                    Shape {
                        id: id.clone(),
                        name: synthetic_name.to_owned(),
                        rust_name: naming::item_name(synthetic_name),
                        module: Module::Types,
                        fn_stem: naming::function(synthetic_name),
                        functions: functions(&naming::function(synthetic_name)),
                        docs: Some(format!(
                            "The {} of `{}`, which has no members.",
                            if is_input { "input" } else { "output" },
                            shape_name(op_id)
                        )),
                        synthetic: true,
                        builder: None,
                        deprecated: None,
                        sensitive: false,
                        kind: ShapeKind::Structure(Structure {
                            members: Vec::new(),
                            error: None,
                            is_input,
                            is_output: !is_input,
                            unknown_variant: None,
                        }),
                    },
                );
                Ok(id)
            }
        }
    }

    /// Lowers `id` and everything it reaches, recording that it needs a (de)serializer.
    fn reach(&mut self, id: &str, direction: Direction, from: &str) -> Result<(), Error> {
        let set = match direction {
            Direction::Ser => &mut self.serialized,
            Direction::De => &mut self.deserialized,
        };
        if !set.insert(id.to_owned()) {
            return Ok(());
        }
        if !self.shapes.contains_key(id) {
            let shape = self.lower_shape(id, from)?;
            self.shapes.insert(id.to_owned(), shape);
        }
        let targets: Vec<String> = match &self.shapes[id].kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                s.members.iter().map(|m| m.target.clone()).collect()
            }
            ShapeKind::List(l) => vec![l.target.clone()],
            ShapeKind::Map(m) => vec![m.key.clone(), m.value.clone()],
            _ => Vec::new(),
        };
        for target in targets {
            self.reach(&target, direction, id)?;
        }
        Ok(())
    }

    fn lower_shape(&self, id: &str, from: &str) -> Result<Shape, Error> {
        let (name, ast) = match self.model.shapes.get(id) {
            Some(shape) => (shape_name(id).to_owned(), Some(shape)),
            None if id.starts_with("smithy.api#") => (shape_name(id).to_owned(), None),
            None => {
                return Err(Error::shape(
                    from,
                    format!("refers to `{id}`, which the model does not define"),
                ));
            }
        };
        let rust_name = naming::item_name(self.renames.get(id).map_or(&name, |n| n));
        let (kind, traits) = match ast {
            Some(shape) => {
                if !shape.mixins.is_empty() {
                    return Err(Error::shape(
                        id,
                        "uses mixins; flatten them before generating",
                    ));
                }
                (self.lower_kind(id, shape, &rust_name)?, Some(&shape.traits))
            }
            None => (prelude(id)?, None),
        };
        let empty = BTreeMap::new();
        let traits = traits.unwrap_or(&empty);
        let module = match &kind {
            ShapeKind::Structure(s) if s.error.is_some() => Module::Error,
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_) => Module::Types,
            _ => Module::None,
        };
        Ok(Shape {
            id: id.to_owned(),
            fn_stem: naming::snake(&rust_name),
            functions: functions(&naming::snake(&rust_name)),
            rust_name,
            module,
            docs: docs(traits, id)?,
            synthetic: false,
            builder: None,
            deprecated: deprecated(traits, id)?,
            sensitive: traits.contains_key("smithy.api#sensitive"),
            kind,
            name,
        })
    }

    fn lower_kind(
        &self,
        id: &str,
        shape: &ast::Shape,
        rust_name: &str,
    ) -> Result<ShapeKind, Error> {
        let traits = &shape.traits;
        Ok(match shape.kind.as_str() {
            "structure" => ShapeKind::Structure(Structure {
                members: self.members(id, &shape.members)?,
                error: error_info(id, traits, rust_name)?,
                is_input: traits.contains_key("smithy.api#input") || self.is_operation_input(id),
                is_output: traits.contains_key("smithy.api#output") || self.is_operation_output(id),
                unknown_variant: None,
            }),
            "union" => {
                let mut members = self.members(id, &shape.members)?;
                for m in &mut members {
                    m.variant = Some(naming::type_name(&m.name));
                }
                ShapeKind::Union(Structure {
                    unknown_variant: Some(unknown_name(
                        members.iter().filter_map(|m| m.variant.as_deref()),
                    )),
                    members,
                    error: None,
                    is_input: false,
                    is_output: false,
                })
            }
            "list" | "set" => {
                let member = shape
                    .member
                    .as_ref()
                    .ok_or_else(|| Error::shape(id, "is a list without a `member`"))?;
                let target = lookup_target(self.model, id, &member.target)?;
                ShapeKind::List(List {
                    target: member.target.clone(),
                    member_name: match traits::get(&member.traits, "smithy.api#xmlName", id)? {
                        Some(name) => name,
                        None => String::from("member"),
                    },
                    sensitive: target
                        .is_some_and(|t| t.traits.contains_key("smithy.api#sensitive")),
                })
            }
            "map" => {
                let key = shape
                    .key
                    .as_ref()
                    .ok_or_else(|| Error::shape(id, "is a map without a `key`"))?;
                let value = shape
                    .value
                    .as_ref()
                    .ok_or_else(|| Error::shape(id, "is a map without a `value`"))?;
                lookup_target(self.model, id, &key.target)?;
                lookup_target(self.model, id, &value.target)?;
                let key_kind = self
                    .model
                    .shapes
                    .get(&key.target)
                    .map_or("string", |s| s.kind.as_str());
                if key_kind != "string" && key_kind != "enum" {
                    return Err(Error::shape(
                        id,
                        format!("has a map key of type {key_kind}; keys must be strings"),
                    ));
                }
                ShapeKind::Map(Map {
                    key: key.target.clone(),
                    value: value.target.clone(),
                    key_name: match traits::get(&key.traits, "smithy.api#xmlName", id)? {
                        Some(name) => name,
                        None => String::from("key"),
                    },
                    value_name: match traits::get(&value.traits, "smithy.api#xmlName", id)? {
                        Some(name) => name,
                        None => String::from("value"),
                    },
                })
            }
            "enum" => ShapeKind::Enum(string_enum(self.enum_variants(id, shape)?)),
            "string" if traits.contains_key("smithy.api#enum") => {
                ShapeKind::Enum(string_enum(legacy_enum(id, traits)?))
            }
            "intEnum" => {
                let mut variants = Vec::new();
                for (name, member) in &shape.members.0 {
                    let value = traits::get::<i32>(
                        &member.traits,
                        "smithy.api#enumValue",
                        &format!("{id}${name}"),
                    )?
                    .ok_or_else(|| {
                        Error::shape(
                            id,
                            format!(
                                "intEnum member `{name}` needs an integer `smithy.api#enumValue`"
                            ),
                        )
                    })?;
                    variants.push(IntEnumVariant {
                        rust_name: naming::type_name(name),
                        value,
                        docs: docs(&member.traits, id)?,
                    });
                }
                check_unique(id, variants.iter().map(|v| v.rust_name.as_str()))?;
                ShapeKind::IntEnum(Enum {
                    unknown: unknown_name(variants.iter().map(|v| v.rust_name.as_str())),
                    variants,
                })
            }
            "timestamp" => ShapeKind::Scalar(Scalar::Timestamp(
                timestamp_format(traits, id)?.unwrap_or(TimestampFormat::DateTime),
            )),
            other => ShapeKind::Scalar(scalar(other).ok_or_else(|| {
                Error::shape(
                    id,
                    format!("is a `{other}`, which awsQuery clients cannot send or read"),
                )
            })?),
        })
    }

    fn is_operation_input(&self, id: &str) -> bool {
        self.model
            .shapes
            .values()
            .any(|s| s.kind == "operation" && s.input.as_ref().is_some_and(|t| t.target == id))
    }

    fn is_operation_output(&self, id: &str) -> bool {
        self.model
            .shapes
            .values()
            .any(|s| s.kind == "operation" && s.output.as_ref().is_some_and(|t| t.target == id))
    }

    fn enum_variants(&self, id: &str, shape: &ast::Shape) -> Result<Vec<EnumVariant>, Error> {
        let mut variants = Vec::new();
        for (name, member) in &shape.members.0 {
            let value = traits::get(
                &member.traits,
                "smithy.api#enumValue",
                &format!("{id}${name}"),
            )?
            .unwrap_or_else(|| name.clone());
            variants.push(EnumVariant {
                rust_name: naming::type_name(name),
                value,
                docs: docs(&member.traits, id)?,
                deprecated: deprecated(&member.traits, id)?,
            });
        }
        check_unique(id, variants.iter().map(|v| v.rust_name.as_str()))?;
        Ok(variants)
    }

    fn members(&self, id: &str, members: &ast::Ordered<ast::Member>) -> Result<Vec<Member>, Error> {
        let mut out = Vec::with_capacity(members.0.len());
        for (name, member) in &members.0 {
            let at = format!("{id}${name}");
            let target = lookup_target(self.model, &at, &member.target)?;
            let target_traits = target.map(|t| &t.traits);
            let traits = &member.traits;
            if let Some(kind) = target.map(|t| t.kind.as_str()) {
                if matches!(kind, "operation" | "service" | "resource") {
                    return Err(Error::shape(
                        &at,
                        format!(
                            "targets `{}`, which is a {kind}, not a data shape",
                            member.target
                        ),
                    ));
                }
            }
            let xml_name = match traits::get(traits, "smithy.api#xmlName", &at)? {
                Some(name) => name,
                None => name.clone(),
            };
            let default = traits
                .get("smithy.api#default")
                .or_else(|| target_traits.and_then(|t| t.get("smithy.api#default")));
            let client_optional = traits.contains_key("smithy.api#clientOptional");
            let default = match default {
                Some(Value::Null) | None => None,
                Some(_) if client_optional => None,
                Some(v) => Some(default_value(v, &at)?),
            };
            if naming::snake(name).is_empty() {
                return Err(Error::shape(
                    &at,
                    "has a name with no letters or digits, so no Rust name",
                ));
            }
            if matches!(
                default,
                Some(DefaultValue::String(_) | DefaultValue::Int(_) | DefaultValue::Float(_))
            ) && target.is_some_and(|t| t.kind == "blob" || t.kind == "document")
            {
                return Err(Error::shape(
                    &at,
                    "has a non-empty default for a blob or document, which is not supported",
                ));
            }
            let nested_sensitive = target.is_some_and(|t| {
                [&t.member, &t.value].into_iter().flatten().any(|m| {
                    self.model
                        .shapes
                        .get(&m.target)
                        .is_some_and(|s| s.traits.contains_key("smithy.api#sensitive"))
                })
            });
            let field = naming::field(name);
            out.push(Member {
                set_fn: naming::prefixed("set", &field),
                cli_name: naming::cli_name(name),
                variant: None,
                field,
                target: member.target.clone(),
                query_name: xml_name.clone(),
                xml_name,
                flattened: traits.contains_key("smithy.api#xmlFlattened"),
                xml_attribute: traits.contains_key("smithy.api#xmlAttribute"),
                required: traits.contains_key("smithy.api#required"),
                optional: default.is_none(),
                default,
                boxed: false,
                timestamp_format: timestamp_format(traits, &at)?,
                idempotency_token: traits.contains_key("smithy.api#idempotencyToken"),
                sensitive: traits.contains_key("smithy.api#sensitive")
                    || target_traits.is_some_and(|t| t.contains_key("smithy.api#sensitive"))
                    || nested_sensitive,
                docs: match (docs(traits, &at)?, target_traits) {
                    (None, Some(target)) => docs(target, &at)?,
                    (own, _) => own,
                },
                constraints: constraints(traits, target_traits, &at)?,
                deprecated: deprecated(traits, &at)?,
                name: name.clone(),
            });
        }
        check_unique(id, out.iter().map(|m| m.field.as_str()))?;
        Ok(out)
    }

    /// Two shapes may not print as one Rust name in one module.
    fn check_names(&self, operations: &[Operation]) -> Result<(), Error> {
        let mut seen: BTreeMap<(Module, String), &str> = BTreeMap::new();
        seen.insert(
            (Module::Error, String::from("Error")),
            "the service-wide error enum",
        );
        for op in operations {
            seen.insert((Module::Error, op.error_enum.clone()), &op.id);
            // A response names its error by code: two errors of one operation with the same code
            // could not be told apart.
            let mut codes: BTreeMap<&str, &str> = BTreeMap::new();
            for error in &op.errors {
                let ShapeKind::Structure(Structure {
                    error: Some(info), ..
                }) = &self.shapes[error].kind
                else {
                    continue;
                };
                if let Some(other) = codes.insert(&info.code, error) {
                    return Err(Error::shape(
                        &op.id,
                        format!(
                            "lists the errors `{other}` and `{error}`, which share the code `{}`; \
                             a response could not tell them apart",
                            info.code
                        ),
                    ));
                }
            }
        }
        let mut functions: BTreeMap<String, &str> = BTreeMap::new();
        for shape in self.shapes.values() {
            if shape.module != Module::None {
                if let Some(other) = seen.insert((shape.module, shape.rust_name.clone()), &shape.id)
                {
                    return Err(Error::shape(
                        &shape.id,
                        format!(
                            "has the Rust name `{}`, which `{other}` already takes",
                            shape.rust_name
                        ),
                    ));
                }
            }
            let stems = match &shape.kind {
                ShapeKind::Map(_) => {
                    vec![shape.fn_stem.clone(), format!("{}_entry", shape.fn_stem)]
                }
                ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List(_) => {
                    vec![shape.fn_stem.clone()]
                }
                _ => Vec::new(),
            };
            for stem in stems {
                if let Some(other) = functions.insert(stem.clone(), &shape.id) {
                    return Err(Error::shape(
                        &shape.id,
                        format!("needs the function name `{stem}`, which `{other}` already takes"),
                    ));
                }
            }
            if let ShapeKind::Structure(Structure {
                error: Some(_),
                members,
                ..
            }) = &shape.kind
            {
                if let Some(m) = members.iter().find(|m| m.field == "meta") {
                    return Err(Error::shape(
                        &shape.id,
                        format!(
                            "is an error with a member `{}`, which clashes with the `meta` field every error has",
                            m.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Boxes members whose structure target leads back to the member's own structure.
    fn mark_boxes(&mut self) {
        let direct: BTreeMap<String, Vec<String>> = self
            .shapes
            .iter()
            .filter_map(|(id, s)| match &s.kind {
                ShapeKind::Structure(st) | ShapeKind::Union(st) => Some((
                    id.clone(),
                    st.members.iter().map(|m| m.target.clone()).collect(),
                )),
                _ => None,
            })
            .collect();
        let reaches = |from: &str, to: &str| {
            let mut stack = vec![from.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if id == to {
                    return true;
                }
                if seen.insert(id.clone()) {
                    stack.extend(direct.get(&id).into_iter().flatten().cloned());
                }
            }
            false
        };
        let mut boxes = Vec::new();
        for (id, targets) in &direct {
            for (i, target) in targets.iter().enumerate() {
                if direct.contains_key(target) && reaches(target, id) {
                    boxes.push((id.clone(), i));
                }
            }
        }
        for (id, i) in boxes {
            if let Some(Shape {
                kind: ShapeKind::Structure(s) | ShapeKind::Union(s),
                ..
            }) = self.shapes.get_mut(&id)
            {
                s.members[i].boxed = true;
            }
        }
    }
}

/// The protocol crate's functions for a shape whose function names start from `stem`.
fn functions(stem: &str) -> Functions {
    Functions {
        ser: format!("ser_{stem}"),
        de: format!("de_{stem}"),
        de_entry: format!("de_{stem}_entry"),
    }
}

fn lookup_target<'m>(
    model: &'m ast::Model,
    from: &str,
    target: &str,
) -> Result<Option<&'m ast::Shape>, Error> {
    match model.shapes.get(target) {
        Some(shape) => Ok(Some(shape)),
        None if target.starts_with("smithy.api#") => match prelude(target) {
            Ok(_) => Ok(None),
            Err(_) => Err(Error::shape(
                from,
                format!("targets `{target}`, which awsQuery clients cannot send or read"),
            )),
        },
        None => Err(Error::shape(
            from,
            format!("targets `{target}`, which the model does not define"),
        )),
    }
}

/// The prelude's simple shapes.
fn prelude(id: &str) -> Result<ShapeKind, Error> {
    let name = shape_name(id);
    let base = name.strip_prefix("Primitive").unwrap_or(name);
    let kind = match base {
        "Timestamp" => Some(Scalar::Timestamp(TimestampFormat::DateTime)),
        _ => {
            let mut chars = base.chars();
            let lower: String = chars
                .next()
                .map(|c| c.to_ascii_lowercase())
                .into_iter()
                .chain(chars)
                .collect();
            scalar(&lower)
        }
    };
    kind.map(ShapeKind::Scalar)
        .ok_or_else(|| Error::shape(id, "is not a prelude shape this generator supports"))
}

fn scalar(kind: &str) -> Option<Scalar> {
    Some(match kind {
        "string" => Scalar::String,
        "boolean" => Scalar::Boolean,
        "byte" => Scalar::Byte,
        "short" => Scalar::Short,
        "integer" => Scalar::Integer,
        "long" => Scalar::Long,
        "float" => Scalar::Float,
        "double" => Scalar::Double,
        "bigInteger" => Scalar::BigInteger,
        "bigDecimal" => Scalar::BigDecimal,
        "blob" => Scalar::Blob,
        _ => return None,
    })
}

fn legacy_enum(id: &str, traits: &BTreeMap<String, Value>) -> Result<Vec<EnumVariant>, Error> {
    let entries: Vec<traits::EnumDefinition> =
        traits::get(traits, "smithy.api#enum", id)?.unwrap_or_default();
    let mut variants = Vec::new();
    for entry in entries {
        variants.push(EnumVariant {
            rust_name: naming::type_name(entry.name.as_deref().unwrap_or(&entry.value)),
            docs: entry.documentation.as_deref().map(html_to_markdown),
            deprecated: entry.deprecated.then_some(Deprecated {
                message: None,
                since: None,
            }),
            value: entry.value,
        });
    }
    check_unique(id, variants.iter().map(|v| v.rust_name.as_str()))?;
    Ok(variants)
}

fn string_enum(variants: Vec<EnumVariant>) -> Enum<EnumVariant> {
    Enum {
        unknown: unknown_name(variants.iter().map(|v| v.rust_name.as_str())),
        variants,
    }
}

/// The first of `Unknown`, `UnknownValue`, `UnknownValue2`, … that no modeled variant uses.
fn unknown_name<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let taken: BTreeSet<&str> = names.collect();
    ["Unknown", "UnknownValue"]
        .into_iter()
        .map(String::from)
        .chain((2..).map(|n| format!("UnknownValue{n}")))
        .find(|name| !taken.contains(name.as_str()))
        .unwrap_or_default()
}

fn check_unique<'a>(id: &str, names: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(Error::shape(
                id,
                format!("has two members that both become `{name}` in Rust"),
            ));
        }
    }
    Ok(())
}

/// What the error traits of structure `id`, whose Rust name is `rust_name`, say; `None` for a
/// structure that is not an error.
fn error_info(
    id: &str,
    traits: &BTreeMap<String, Value>,
    rust_name: &str,
) -> Result<Option<ErrorInfo>, Error> {
    let Some(fault) = traits::get::<traits::ErrorFault>(traits, "smithy.api#error", id)? else {
        return Ok(None);
    };
    let server_fault = fault == traits::ErrorFault::Server;
    let query_error: Option<traits::AwsQueryError> =
        traits::get(traits, "aws.protocols#awsQueryError", id)?;
    let code = query_error
        .as_ref()
        .and_then(|q| q.code.clone())
        .unwrap_or_else(|| shape_name(id).to_owned());
    let status = match query_error.and_then(|q| q.http_response_code) {
        Some(status) => Some(status),
        None => traits::get::<traits::HttpStatus>(traits, "smithy.api#httpError", id)?,
    };
    let status = match status {
        Some(status) => status.0,
        None if server_fault => 500,
        None => 400,
    };
    Ok(Some(ErrorInfo {
        code,
        status,
        server_fault,
        is_fn: naming::prefixed("is", &naming::snake(rust_name)),
    }))
}

/// Whether operation `id` is sent unsigned: it carries `smithy.api#optionalAuth`, or its
/// `smithy.api#auth` (else the service's) lists no scheme. A list without `aws.auth#sigv4`, the one
/// scheme the client signs with, is an error; without either trait the operation is signed.
fn unsigned(
    id: &str,
    traits: &BTreeMap<String, Value>,
    service_auth: Option<&[String]>,
) -> Result<bool, Error> {
    if traits.contains_key("smithy.api#optionalAuth") {
        return Ok(true);
    }
    let own: Option<Vec<String>> = traits::get(traits, AUTH_TRAIT, id)?;
    let (schemes, from) = match (&own, service_auth) {
        (Some(schemes), _) => (schemes.as_slice(), ""),
        (None, Some(schemes)) => (schemes, " (the service's)"),
        (None, None) => return Ok(false),
    };
    if schemes.is_empty() {
        return Ok(true);
    }
    if schemes.iter().any(|scheme| scheme == SIGV4) {
        return Ok(false);
    }
    let listed: Vec<String> = schemes.iter().map(|s| format!("`{s}`")).collect();
    Err(Error::shape(
        id,
        format!(
            "is authenticated with {}{from}, but the generated client signs with `{SIGV4}` only \
             (or sends unsigned when `{AUTH_TRAIT}` is empty)",
            listed.join(", ")
        ),
    ))
}

/// The paginated trait with the service's `defaults` filling what it leaves out.
fn paginated(value: traits::Paginated, defaults: &Paginated) -> Paginated {
    let or = |own: Option<String>, default: &Option<String>| own.or_else(|| default.clone());
    Paginated {
        input_token: or(value.input_token, &defaults.input_token),
        output_token: or(value.output_token, &defaults.output_token),
        items: or(value.items, &defaults.items),
        page_size: or(value.page_size, &defaults.page_size),
    }
}

fn timestamp_format(
    traits: &BTreeMap<String, Value>,
    id: &str,
) -> Result<Option<TimestampFormat>, Error> {
    Ok(
        traits::get(traits, "smithy.api#timestampFormat", id)?.map(|format| match format {
            traits::TimestampFormat::DateTime => TimestampFormat::DateTime,
            traits::TimestampFormat::EpochSeconds => TimestampFormat::EpochSeconds,
            traits::TimestampFormat::HttpDate => TimestampFormat::HttpDate,
        }),
    )
}

fn default_value(value: &Value, id: &str) -> Result<DefaultValue, Error> {
    Ok(match value {
        Value::Bool(false) => DefaultValue::Zero,
        Value::Bool(b) => DefaultValue::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(0), _) => DefaultValue::Zero,
            (Some(i), _) => DefaultValue::Int(i),
            (None, Some(0.0)) => DefaultValue::Zero,
            (None, Some(f)) => DefaultValue::Float(f),
            _ => {
                return Err(Error::shape(
                    id,
                    format!("has a default `{n}` that does not fit"),
                ));
            }
        },
        Value::String(s) if s.is_empty() => DefaultValue::Zero,
        Value::String(s) => DefaultValue::String(s.clone()),
        Value::Array(a) if a.is_empty() => DefaultValue::Zero,
        Value::Object(o) if o.is_empty() => DefaultValue::Zero,
        other => {
            return Err(Error::shape(
                id,
                format!("has a default `{other}` this generator cannot represent"),
            ));
        }
    })
}

/// `Length 1 to 255; pattern `^[A-Za-z]…$`.` from the member's traits, else its target's; `at`
/// names the member in errors.
fn constraints(
    member: &BTreeMap<String, Value>,
    target: Option<&BTreeMap<String, Value>>,
    at: &str,
) -> Result<Option<String>, Error> {
    let traits = |name: &str| {
        if member.contains_key(name) {
            Some(member)
        } else {
            target.filter(|t| t.contains_key(name))
        }
    };
    let bounds = |name: &str| -> Result<Option<String>, Error> {
        let Some(traits) = traits(name) else {
            return Ok(None);
        };
        let bounds: traits::Bounds = traits::get(traits, name, at)?.expect("the trait is there");
        Ok(match (bounds.min, bounds.max) {
            (Some(min), Some(max)) => Some(format!("{min} to {max}")),
            (Some(min), None) => Some(format!("at least {min}")),
            (None, Some(max)) => Some(format!("at most {max}")),
            (None, None) => None,
        })
    };
    let mut parts = Vec::new();
    if let Some(length) = bounds("smithy.api#length")? {
        parts.push(format!("length {length}"));
    }
    if let Some(range) = bounds("smithy.api#range")? {
        parts.push(format!("range {range}"));
    }
    if let Some(traits) = traits("smithy.api#pattern") {
        let pattern: Option<String> = traits::get(traits, "smithy.api#pattern", at)?;
        parts.extend(pattern.map(|p| format!("pattern `{p}`")));
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let mut text = parts.join("; ");
    text[..1].make_ascii_uppercase();
    text.push_str(" (checked by the service).");
    Ok(Some(text))
}

fn docs(traits: &BTreeMap<String, Value>, id: &str) -> Result<Option<String>, Error> {
    let html: Option<String> = traits::get(traits, "smithy.api#documentation", id)?;
    Ok(html
        .map(|html| html_to_markdown(&html))
        .filter(|markdown| !markdown.is_empty()))
}

fn deprecated(traits: &BTreeMap<String, Value>, id: &str) -> Result<Option<Deprecated>, Error> {
    Ok(
        traits::get::<traits::Deprecated>(traits, "smithy.api#deprecated", id)?.map(|d| {
            Deprecated {
                message: d.message,
                since: d.since,
            }
        }),
    )
}

/// The query key segments of the `@sensitive` values that `root` reaches, at any depth, sorted and
/// without repeats.
fn sensitive_params(shapes: &BTreeMap<String, Shape>, root: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else {
            continue;
        };
        match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                for m in &s.members {
                    let items_sensitive = matches!(
                        shapes.get(&m.target).map(|t| &t.kind),
                        Some(ShapeKind::List(list)) if list.sensitive
                    );
                    if m.sensitive || items_sensitive {
                        found.insert(m.query_name.clone());
                    }
                    stack.push(m.target.clone());
                }
            }
            ShapeKind::List(list) => stack.push(list.target.clone()),
            ShapeKind::Map(map) => stack.extend([map.key.clone(), map.value.clone()]),
            _ => {}
        }
    }
    found.into_iter().collect()
}
