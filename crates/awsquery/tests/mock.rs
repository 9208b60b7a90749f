//! The mock registry's own contract, with a hand-written operation standing in for a generated
//! one: rules that look at the registry, misuse of `times`, and calls from several threads sharing
//! a rule's answers. The generated client's use of it is tested in `neptune-tests`.

use std::sync::Arc;

use awsquery::Unhandled;
use awsquery::client::{Config, Handle, SdkError};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
use awsquery::mock::{Mocks, NoTransport};
use awsquery::retry::RetryConfig;
use awsquery::sigv4::Credentials;
use awsquery_protocol::operation::Operation;
use awsquery_testing::client::block_on;

mod probe;
use probe::{ProbeError, SERVICE};

/// `Count`: a number in, a number out.
struct Count;

impl Operation for Count {
    const NAME: &'static str = "Count";
    type Input = u32;
    type Output = u32;
    type Error = ProbeError;

    fn serialize(input: &u32) -> Result<Request, BuildError> {
        Ok(Request::form_post(format!("Action=Count&N={input}")))
    }

    fn deserialize(response: &Response) -> Result<u32, ProbeError> {
        Err(ProbeError(Unhandled::new(ErrorMetadata::with_status(
            response.status,
        ))))
    }
}

fn handle(mocks: &Mocks) -> Handle<NoTransport> {
    let config = Config::new("us-east-1", Credentials::new("AKID", "secret", None))
        .with_endpoint_url("https://example.com")
        .with_retry_config(RetryConfig::disabled())
        .with_mocks(mocks.clone());
    Handle::new(config, SERVICE, NoTransport)
}

#[test]
fn a_rule_may_look_at_the_registry_while_it_matches_and_answers() {
    let mocks = Mocks::new();
    let seen = mocks.clone();
    let answers = mocks.clone();
    mocks
        .on::<Count>()
        .matching(move |_| seen.calls::<Count>() <= 2)
        .then_output_with(move |input| input * 10 + answers.operations().len() as u32);
    let handle = handle(&mocks);
    assert_eq!(block_on(handle.invoke::<Count>(&1)).unwrap(), 11);
    assert_eq!(block_on(handle.invoke::<Count>(&2)).unwrap(), 22);
    assert!(matches!(
        block_on(handle.invoke::<Count>(&3)),
        Err(SdkError::Transport(_))
    ));
}

#[test]
#[should_panic(expected = "`times` repeats the answer before it: add one first")]
fn times_needs_an_answer_before_it() {
    let _ = Mocks::new().on::<Count>().times(2);
}

#[test]
fn a_rule_without_answers_answers_nothing() {
    let mocks = Mocks::new();
    let rule = mocks.on::<Count>();
    let error = block_on(handle(&mocks).invoke::<Count>(&1)).expect_err("no answer");
    assert!(
        error.to_string().ends_with("(1 rule for it, used up)"),
        "{error}"
    );
    assert_eq!(rule.calls(), 0);
    assert_eq!(mocks.inputs::<Count>(), [1]);
}

#[test]
fn calls_from_several_threads_share_a_rules_answers() {
    let mocks = Mocks::new();
    let rule = mocks.on::<Count>().then_output(7).times(50);
    let handle = Arc::new(handle(&mocks));
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let handle = Arc::clone(&handle);
            std::thread::spawn(move || {
                (0..20)
                    .filter(|n| block_on(handle.invoke::<Count>(&(thread * 100 + n))).is_ok())
                    .count()
            })
        })
        .collect();
    let answered: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(answered, 50, "each of the 50 answers given once");
    assert_eq!(rule.calls(), 50);
    assert_eq!(mocks.calls::<Count>(), 160);
    let mut inputs = mocks.inputs::<Count>();
    inputs.sort_unstable();
    inputs.dedup();
    assert_eq!(inputs.len(), 160, "every input recorded once");
}
