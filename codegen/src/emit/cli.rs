//! The command line crate's `src/generated/mod.rs`: the command table `awsquery-cli` runs (one
//! command per operation, one option per input member, the shapes their values take, paginators
//! and waiters) and each command's `call`, the glue from a JSON input to the client's builder and
//! from the output back to JSON.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::waitable::{AcceptorState, Condition, Matcher};
use crate::ir::{Scalar, Service, ShapeKind};
use crate::naming::ident;

/// The package of the command line crate (`neptune-cli`).
pub fn crate_name(service: &Service) -> String {
    format!("{}-cli", service.crate_prefix)
}

/// A shape index as an unsuffixed literal.
fn lit(index: usize) -> Literal {
    Literal::usize_unsuffixed(index)
}

/// Markdown documentation as plain text: no backticks, emphasis or link targets.
fn plain(docs: Option<&str>) -> String {
    let Some(docs) = docs else {
        return String::new();
    };
    let mut out = String::with_capacity(docs.len());
    let mut chars = docs.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '*' => {}
            ']' if chars.peek() == Some(&'(') => {
                // `[text](url)`: keep the text, drop the target.
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// The shapes the operations' inputs and outputs reach, in shape id order, with their indices.
fn reached(service: &Service) -> BTreeMap<&str, usize> {
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    for op in &service.operations {
        stack.push(&op.input);
        stack.push(&op.output);
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        match &service.shape(id).kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                stack.extend(s.members.iter().map(|m| m.target.as_str()));
            }
            ShapeKind::List(l) => stack.push(&l.target),
            ShapeKind::Map(m) => {
                stack.push(&m.key);
                stack.push(&m.value);
            }
            _ => {}
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect()
}

/// The table's shape entry of `id`.
fn shape_entry(service: &Service, index: &BTreeMap<&str, usize>, id: &str) -> TokenStream {
    let shape = service.shape(id);
    let name = &shape.name;
    let kind = match &shape.kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => {
            let members = s.members.iter().map(|m| {
                let name = &m.name;
                let target = lit(index[m.target.as_str()]);
                let required = m.required;
                quote!(Member::new(#name, #target, #required))
            });
            quote!(Kind::Structure(&[#(#members),*]))
        }
        ShapeKind::List(l) => {
            let item = lit(index[l.target.as_str()]);
            quote!(Kind::List(#item))
        }
        ShapeKind::Map(m) => {
            let key = lit(index[m.key.as_str()]);
            let value = lit(index[m.value.as_str()]);
            quote!(Kind::Map(#key, #value))
        }
        ShapeKind::Enum(e) => {
            let values = e.variants.iter().map(|v| &v.value);
            quote!(Kind::Enum(&[#(#values),*]))
        }
        ShapeKind::IntEnum(_) => quote!(Kind::Integer),
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String => quote!(Kind::String),
            Scalar::Boolean => quote!(Kind::Boolean),
            Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long => {
                quote!(Kind::Integer)
            }
            Scalar::Float | Scalar::Double => quote!(Kind::Float),
            Scalar::BigInteger | Scalar::BigDecimal => quote!(Kind::BigNumber),
            Scalar::Blob => quote!(Kind::Blob),
            Scalar::Timestamp(_) => quote!(Kind::Timestamp),
        },
    };
    quote!(Shape::new(#name, #kind))
}

/// The files of the command line crate's `src/generated/`, paths relative to it: `mod.rs` (the
/// service, the list of commands, the waiters), `shapes.rs`, and `commands/<operation>.rs` for each
/// operation (its command, options and `call`).
pub fn files(service: &Service) -> Vec<(String, TokenStream)> {
    let index = reached(service);
    let client_crate = ident(&service.crates.client.ident);
    let name = &service.crate_prefix;
    let title = service.title.as_deref().unwrap_or(&service.sdk_id);
    let doc = plain(service.docs.as_deref());
    let shapes = index.keys().map(|id| shape_entry(service, &index, id));
    let mut files = Vec::new();
    let mut commands: Vec<(String, TokenStream)> = Vec::new();
    let mut modules = Vec::new();
    for op in &service.operations {
        let ShapeKind::Structure(input_shape) = &service.shape(&op.input).kind else {
            continue;
        };
        let command = &op.cli_name;
        let operation = &op.name;
        let op_doc = plain(op.docs.as_deref());
        let input = lit(index[op.input.as_str()]);
        let output = lit(index[op.output.as_str()]);
        let options = input_shape.members.iter().map(|m| {
            let option = &m.cli_name;
            let member = &m.name;
            let shape = lit(index[m.target.as_str()]);
            let required = m.required;
            let doc = plain(m.docs.as_deref());
            quote!(::awsquery_cli::table::Opt {
                name: #option,
                member: #member,
                shape: #shape,
                required: #required,
                doc: #doc,
            })
        });
        let paginator = match &op.paginated {
            Some(p) => match (&p.input_token, &p.output_token, &p.items) {
                (Some(input_token), Some(output_token), Some(items)) => {
                    let page_size = match &p.page_size {
                        Some(size) => quote!(Some(#size)),
                        None => quote!(None),
                    };
                    quote!(Some(::awsquery_cli::table::Paginator {
                        input_token: #input_token,
                        output_token: #output_token,
                        items: #items,
                        page_size: #page_size,
                    }))
                }
                _ => quote!(None),
            },
            None => quote!(None),
        };
        let module = ident(&op.fn_name);
        let input_type = ident(&service.shape(&op.input).rust_name);
        let method = ident(&op.fn_name);
        let setters = input_shape.members.iter().map(|m| {
            let field = ident(&m.field);
            match (m.optional, m.boxed) {
                (true, false) => {
                    let set = ident(&m.set_fn);
                    quote!(.#set(input.#field))
                }
                (true, true) => {
                    let set = ident(&m.set_fn);
                    quote!(.#set(input.#field.map(|boxed| *boxed)))
                }
                (false, false) => quote!(.#field(input.#field)),
                (false, true) => quote!(.#field(*input.#field)),
            }
        });
        let binding = if input_shape.members.is_empty() {
            quote!(_input)
        } else {
            quote!(input)
        };
        let module_doc = format!(" `{command}`: the `{operation}` operation.");
        files.push((
            format!("commands/{}", op.module_file()),
            quote! {
                #![doc = #module_doc]

                use super::super::Client;

                /// The command.
                pub(crate) const COMMAND: ::awsquery_cli::table::Command<Client> = ::awsquery_cli::table::Command {
                    name: #command,
                    operation: #operation,
                    doc: #op_doc,
                    input: #input,
                    output: #output,
                    options: &[#(#options),*],
                    paginator: #paginator,
                    call,
                };

                /// Sends the request. Every member the user gave is copied, deprecated ones too, and
                /// a deprecated operation is still a command.
                #[allow(deprecated)]
                fn call(client: &Client, input: ::awsquery_cli::serde_json::Value) -> ::awsquery_cli::table::CallFuture {
                    let client = client.clone();
                    Box::pin(async move {
                        let #binding: ::#client_crate::types::#input_type = ::awsquery_cli::call::input(input)?;
                        let output = client.#method()#(#setters)*.send().await?;
                        ::awsquery_cli::call::output(&output)
                    })
                }
            },
        ));
        modules.push(module.clone());
        commands.push((command.clone(), quote!(commands::#module::COMMAND)));
    }
    files.push((
        String::from("commands/mod.rs"),
        quote! {
            //! One module per operation: its command, options and call.
            #(pub(super) mod #modules;)*
        },
    ));
    files.push((
        String::from("shapes.rs"),
        quote! {
            //! The shapes the inputs and outputs reach, by shape id; members refer to shapes by
            //! their index here.
            use ::awsquery_cli::table::{Kind, Member, Shape};

            /// The shapes.
            pub(super) static SHAPES: &[Shape] = &[#(#shapes),*];
        },
    ));
    commands.sort_by(|a, b| a.0.cmp(&b.0));
    let commands = commands.into_iter().map(|(_, tokens)| tokens);
    let mut waiters: Vec<(String, TokenStream)> = service
        .waiters
        .iter()
        .filter_map(|w| {
            let op = service.operations.iter().find(|op| op.id == w.operation)?;
            let name = &w.cli_name;
            let waiter_name = &w.name;
            let operation = &op.name;
            let doc = plain(w.docs.as_deref());
            let min_delay = Literal::u64_unsuffixed(w.min_delay);
            let max_delay = Literal::u64_unsuffixed(w.max_delay);
            let acceptors = w.acceptors.iter().map(|a| {
                let state = match a.state {
                    AcceptorState::Success => quote!(State::Success),
                    AcceptorState::Failure => quote!(State::Failure),
                    AcceptorState::Retry => quote!(State::Retry),
                };
                let path = a.path.as_deref().unwrap_or_default();
                let path_matcher = |input: bool, condition: &Condition| {
                    let (comparator, expected) = match condition {
                        Condition::StringEquals(_, e) => (quote!(StringEquals), e.clone()),
                        Condition::BooleanEquals(_, b) => (quote!(BooleanEquals), b.to_string()),
                        Condition::AllStringEquals(_, e) => (quote!(AllStringEquals), e.clone()),
                        Condition::AnyStringEquals(_, e) => (quote!(AnyStringEquals), e.clone()),
                    };
                    quote!(Matcher::Path {
                        input: #input,
                        path: #path,
                        comparator: Comparator::#comparator,
                        expected: #expected,
                    })
                };
                let matcher = match &a.matcher {
                    Matcher::Success(b) => quote!(Matcher::Success(#b)),
                    Matcher::ErrorCode(code) => quote!(Matcher::ErrorType(#code)),
                    Matcher::Output(c) => path_matcher(false, c),
                    Matcher::InputOutput(c) => path_matcher(true, c),
                };
                quote!(Acceptor { state: #state, matcher: #matcher })
            });
            Some((
                name.clone(),
                quote! {
                    Waiter {
                        name: #name,
                        waiter_name: #waiter_name,
                        operation: #operation,
                        doc: #doc,
                        min_delay: #min_delay,
                        max_delay: #max_delay,
                        acceptors: &[#(#acceptors),*],
                    }
                },
            ))
        })
        .collect();
    waiters.sort_by(|a, b| a.0.cmp(&b.0));
    let waiters = waiters.into_iter().map(|(_, tokens)| tokens);
    let uses_waiters = if service.waiters.is_empty() {
        quote!()
    } else {
        quote!(
            use ::awsquery_cli::table::{Acceptor, Comparator, Matcher, State};
        )
    };
    files.push((
        String::from("mod.rs"),
        quote! {
            //! The command table of the command line: one command per operation of the model.

            mod commands;
            mod shapes;

            use ::awsquery_cli::table::{Command, Service, Waiter};
            #uses_waiters

            /// The client the commands call.
            pub type Client = ::#client_crate::Client<::awsquery_cli::DynTransport>;

            /// The service's command table.
            pub static SERVICE: Service<Client> = Service {
                name: #name,
                title: #title,
                doc: #doc,
                commands: COMMANDS,
                waiters: WAITERS,
                shapes: shapes::SHAPES,
                client: new_client,
            };

            fn new_client(config: ::awsquery_cli::Config, transport: ::awsquery_cli::DynTransport) -> Client {
                ::#client_crate::Client::new(config, transport)
            }

            /// The commands, sorted by name.
            static COMMANDS: &[Command<Client>] = &[#(#commands),*];

            /// The waiters, sorted by name.
            static WAITERS: &[Waiter] = &[#(#waiters),*];
        },
    ));
    files
}

/// The `main.rs` of a generated command line crate: the engine, run on the table.
pub fn main(service: &Service) -> TokenStream {
    let doc = format!(
        "`{}`: the {} commands of the AWS CLI, generated from the service model.",
        service.crate_prefix,
        service.title.as_deref().unwrap_or(&service.sdk_id)
    );
    quote! {
        #![doc = #doc]

        mod generated;

        fn main() -> ::std::process::ExitCode {
            ::awsquery_cli::process::main(&::awsquery_cli::Program {
                service: &generated::SERVICE,
                extension: &::awsquery_cli::NoExtension,
                version: ::std::env!("CARGO_PKG_VERSION"),
            })
        }
    }
}

/// The documentation of a generated command line crate.
pub fn readme(service: &Service) -> String {
    let name = &service.crate_prefix;
    format!(
        "`{name}`: the {} commands of the AWS CLI as a native command, generated from the service \
         model and run by `awsquery-cli`. It prints what `aws {name} … --output json` prints.\n\n\
         ```sh\ncargo run -p {} -- help\ncargo run -p {} -- <command> --generate-cli-skeleton\n```",
        service.sdk_id,
        crate_name(service),
        crate_name(service)
    )
}
