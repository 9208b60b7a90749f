//! `wait <waiter>`: polls the waiter's operation until an acceptor says the wait is over, evaluating
//! the model's JMESPath paths on the output's JSON form, as the AWS CLI does: a fixed delay of the
//! waiter's `minDelay` between polls, at most [`MAX_ATTEMPTS`] polls.

use std::time::Duration;

use awsquery::transport::Transport;
use serde_json::Value;

use crate::run::{OTHER_ERROR, Session};
use crate::table::{Acceptor, Command, Comparator, Matcher, State, Waiter};

/// The most polls of a wait, the AWS CLI's default.
pub const MAX_ATTEMPTS: u32 = 60;

/// What one poll's outcome means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The wait is over, successfully.
    Success,
    /// The wait is over: the resource will never get there. The reason, in the AWS CLI's words.
    Failure(String),
    /// Poll again.
    Retry,
    /// No acceptor matched an error: the wait fails with it.
    Error,
    /// No acceptor matched a success: poll again.
    Unmatched,
}

/// Judges one poll: `outcome` is the output, or the error code of a service error (`None` for an
/// error without a code).
pub fn judge(waiter: &Waiter, input: &Value, outcome: Result<&Value, Option<&str>>) -> Verdict {
    for acceptor in waiter.acceptors {
        if let Some(reason) = matches(acceptor, input, outcome) {
            return match acceptor.state {
                State::Success => Verdict::Success,
                State::Retry => Verdict::Retry,
                State::Failure => Verdict::Failure(reason),
            };
        }
    }
    if outcome.is_err() {
        Verdict::Error
    } else {
        Verdict::Unmatched
    }
}

/// Whether the acceptor matches, with the failure reason the AWS CLI would give.
fn matches(
    acceptor: &Acceptor,
    input: &Value,
    outcome: Result<&Value, Option<&str>>,
) -> Option<String> {
    const TERMINAL: &str = "Waiter encountered a terminal failure state";
    match acceptor.matcher {
        Matcher::Success(success) => (outcome.is_ok() == success).then(|| {
            if success {
                format!("{TERMINAL}: the operation succeeded")
            } else {
                format!("{TERMINAL}: An error occurred")
            }
        }),
        Matcher::ErrorType(code) => match outcome {
            Err(Some(got)) if got == code => Some(format!(
                "{TERMINAL}: Matched expected service error code: {code}"
            )),
            _ => None,
        },
        Matcher::Path {
            input: with_input,
            path,
            comparator,
            expected,
        } => {
            let output = outcome.ok()?;
            let data = if with_input {
                serde_json::json!({"input": input, "output": output})
            } else {
                output.clone()
            };
            let found = search(path, &data)?;
            let matched = match comparator {
                Comparator::StringEquals => found.as_str() == Some(expected),
                Comparator::BooleanEquals => {
                    found.as_bool().map(|b| b.to_string()).as_deref() == Some(expected)
                }
                Comparator::AllStringEquals => found.as_array().is_some_and(|items| {
                    !items.is_empty() && items.iter().all(|i| i.as_str() == Some(expected))
                }),
                Comparator::AnyStringEquals => found
                    .as_array()
                    .is_some_and(|items| items.iter().any(|i| i.as_str() == Some(expected))),
            };
            let how = match comparator {
                Comparator::AnyStringEquals => "at least once",
                Comparator::AllStringEquals => "for all elements",
                _ => "",
            };
            matched.then(|| {
                format!(
                    "{TERMINAL}: For expression \"{path}\" we matched expected path: \"{expected}\"{}",
                    if how.is_empty() { String::new() } else { format!(" {how}") }
                )
            })
        }
    }
}

/// Evaluates a JMESPath expression; an expression that does not compile or fails matches nothing.
fn search(path: &str, data: &Value) -> Option<Value> {
    let expression = jmespath::compile(path).ok()?;
    let variable = jmespath::Variable::from_serializable(data).ok()?;
    let found = expression.search(variable).ok()?;
    serde_json::to_value(&*found).ok()
}

/// Waits, and gives the exit status: nothing is printed on success.
pub async fn run<C>(
    session: &mut Session<'_, C>,
    waiter: &Waiter,
    command: &Command<C>,
    input: Value,
) -> i32 {
    let delay = Duration::from_secs(waiter.min_delay.max(1));
    for attempt in 1..=MAX_ATTEMPTS {
        session.reset_attempts();
        let result = (command.call)(session.client, input.clone()).await;
        let verdict = match &result {
            Ok(output) => judge(waiter, &input, Ok(output)),
            Err(error) => judge(waiter, &input, Err(error.code())),
        };
        match verdict {
            Verdict::Success => return 0,
            Verdict::Failure(reason) => return fail(session, waiter, &reason),
            Verdict::Error => {
                let Err(error) = result else {
                    return OTHER_ERROR;
                };
                return match session.waiter_reason(error) {
                    Ok(reason) => fail(session, waiter, &reason),
                    Err(code) => code,
                };
            }
            Verdict::Retry | Verdict::Unmatched => {}
        }
        if attempt < MAX_ATTEMPTS {
            session.transport.sleep(delay).await;
        }
    }
    fail(session, waiter, "Max attempts exceeded")
}

fn fail<C>(session: &Session<'_, C>, waiter: &Waiter, reason: &str) -> i32 {
    session.err(&format!(
        "\nWaiter {} failed: {reason}\n",
        waiter.waiter_name
    ));
    OTHER_ERROR
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const fn path(
        input: bool,
        path: &'static str,
        comparator: Comparator,
        expected: &'static str,
    ) -> Matcher {
        Matcher::Path {
            input,
            path,
            comparator,
            expected,
        }
    }

    const WAITER: Waiter = Waiter {
        name: "w",
        waiter_name: "W",
        operation: "Op",
        doc: "",
        min_delay: 2,
        max_delay: 120,
        acceptors: &[
            Acceptor {
                state: State::Success,
                matcher: path(
                    true,
                    "input.Id == output.Current",
                    Comparator::BooleanEquals,
                    "true",
                ),
            },
            Acceptor {
                state: State::Failure,
                matcher: path(false, "Status", Comparator::StringEquals, "failed"),
            },
            Acceptor {
                state: State::Retry,
                matcher: Matcher::ErrorType("NotYet"),
            },
            Acceptor {
                state: State::Failure,
                matcher: Matcher::Success(false),
            },
        ],
    };

    #[test]
    fn acceptors_in_model_order() {
        let input = json!({"Id": "b"});
        let ready = json!({"Current": "b"});
        assert_eq!(judge(&WAITER, &input, Ok(&ready)), Verdict::Success);
        let not_ready = json!({"Current": "a"});
        assert_eq!(judge(&WAITER, &input, Ok(&not_ready)), Verdict::Unmatched);
        let failed = json!({"Status": "failed"});
        assert_eq!(
            judge(&WAITER, &input, Ok(&failed)),
            Verdict::Failure(String::from(
                "Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"failed\""
            ))
        );
        assert_eq!(judge(&WAITER, &input, Err(Some("NotYet"))), Verdict::Retry);
        assert!(matches!(
            judge(&WAITER, &input, Err(Some("Other"))),
            Verdict::Failure(_)
        ));
    }

    #[test]
    fn all_and_any_string_equals() {
        const ALL: &[Acceptor] = &[Acceptor {
            state: State::Success,
            matcher: path(false, "L[].S", Comparator::AllStringEquals, "up"),
        }];
        const BAD_PATH: &[Acceptor] = &[Acceptor {
            state: State::Success,
            matcher: path(false, "L[", Comparator::AnyStringEquals, "up"),
        }];
        let all = Waiter {
            acceptors: ALL,
            ..WAITER
        };
        let judge_all = |v: Value| judge(&all, &json!({}), Ok(&v));
        assert_eq!(
            judge_all(json!({"L": [{"S": "up"}, {"S": "up"}]})),
            Verdict::Success
        );
        assert_eq!(
            judge_all(json!({"L": [{"S": "up"}, {"S": "down"}]})),
            Verdict::Unmatched
        );
        assert_eq!(
            judge_all(json!({"L": []})),
            Verdict::Unmatched,
            "an empty list is not all equal"
        );
        let bad_path = Waiter {
            acceptors: BAD_PATH,
            ..WAITER
        };
        assert_eq!(judge(&bad_path, &json!({}), Err(None)), Verdict::Error);
    }
}
