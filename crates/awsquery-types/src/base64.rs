//! Base64 with the standard alphabet (RFC 4648 §4), as Smithy blobs are sent and received.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a byte that is not in the alphabet.
const INVALID: u8 = 0xFF;

/// The value of each alphabet byte, [`INVALID`] for every other byte.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Appends `input` base64-encoded, padded with `=`.
pub fn encode(input: &[u8], out: &mut String) {
    out.reserve(input.len().div_ceil(3) * 4);
    let sextet = |n: u32, shift: u32| char::from(ALPHABET[((n >> shift) & 0x3F) as usize]);
    let mut chunks = input.chunks_exact(3);
    for chunk in &mut chunks {
        let n = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(sextet(n, shift));
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(sextet(n, 18));
            out.push(sextet(n, 12));
            out.push_str("==");
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.push(sextet(n, 18));
            out.push(sextet(n, 12));
            out.push(sextet(n, 6));
            out.push('=');
        }
        _ => {}
    }
}

/// Decodes base64 text. Padding may be present or left out, ASCII whitespace anywhere is ignored,
/// and unused low bits in the last group are not checked.
pub fn decode(input: &str) -> Result<Vec<u8>, Base64Error> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut pending = 0; // sextets in `acc`, 0..=3 between groups
    let mut padding = 0;
    let mut padding_at = 0;
    for (position, &byte) in bytes.iter().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        if byte == b'=' {
            if padding == 0 {
                padding_at = position;
            }
            padding += 1;
            continue;
        }
        let value = DECODE[usize::from(byte)];
        if value == INVALID || padding > 0 {
            let found = input.get(position..).and_then(|s| s.chars().next());
            return Err(Base64Error {
                position,
                kind: ErrorKind::InvalidChar(found.unwrap_or(char::REPLACEMENT_CHARACTER)),
            });
        }
        acc = acc << 6 | u32::from(value);
        pending += 1;
        if pending == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            pending = 0;
        }
    }
    match (pending, padding) {
        (0, 0) => {}
        (2, 0 | 2) => out.push((acc >> 4) as u8),
        (3, 0 | 1) => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        (1, 0) => {
            return Err(Base64Error {
                position: input.len(),
                kind: ErrorKind::Truncated,
            });
        }
        _ => {
            return Err(Base64Error {
                position: padding_at,
                kind: ErrorKind::BadPadding,
            });
        }
    }
    Ok(out)
}

/// Text that is not valid base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64Error {
    position: usize,
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    InvalidChar(char),
    BadPadding,
    Truncated,
}

impl Base64Error {
    /// The byte offset in the input where the problem is.
    pub fn position(&self) -> usize {
        self.position
    }
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = self.position;
        match self.kind {
            ErrorKind::InvalidChar(c) => {
                write!(f, "invalid base64: unexpected {c:?} at position {position}")
            }
            ErrorKind::BadPadding => {
                write!(
                    f,
                    "invalid base64: misplaced padding at position {position}"
                )
            }
            ErrorKind::Truncated => {
                write!(
                    f,
                    "invalid base64: input ends mid-byte at position {position}"
                )
            }
        }
    }
}

impl std::error::Error for Base64Error {}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    fn encoded(input: &[u8]) -> String {
        let mut out = String::new();
        encode(input, &mut out);
        out
    }

    #[test]
    fn rfc4648_vectors_round_trip() {
        for (plain, coded) in RFC4648 {
            assert_eq!(encoded(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes(), "{coded}");
            let unpadded = coded.trim_end_matches('=');
            assert_eq!(decode(unpadded).unwrap(), plain.as_bytes(), "{unpadded}");
        }
    }

    #[test]
    fn encode_appends() {
        let mut out = String::from("x=");
        encode(b"foo", &mut out);
        assert_eq!(out, "x=Zm9v");
    }

    #[test]
    fn all_bytes_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in [0, 1, 2, 3, 254, 255, 256] {
            let text = encoded(&bytes[..len]);
            assert_eq!(decode(&text).unwrap(), &bytes[..len]);
        }
        assert_eq!(encoded(&[0xFB, 0xFF]), "+/8=");
    }

    #[test]
    fn whitespace_is_ignored() {
        assert_eq!(decode(" Zm9v\r\nYmFy\t").unwrap(), b"foobar");
        assert_eq!(decode("Zm9vYg= =\n").unwrap(), b"foob");
        assert_eq!(decode("  ").unwrap(), b"");
    }

    #[test]
    fn bad_input_names_the_position() {
        let err = decode("Zm9v*mFy").unwrap_err();
        assert_eq!(err.position(), 4);
        assert!(err.to_string().contains("'*' at position 4"), "{err}");

        let err = decode("Zm9vé").unwrap_err();
        assert_eq!(err.position(), 4);
        assert!(err.to_string().contains("'é'"), "{err}");

        // URL-safe alphabet is not accepted.
        assert_eq!(decode("-_8=").unwrap_err().position(), 0);
        // Data after padding.
        assert_eq!(decode("Zg==Zg==").unwrap_err().position(), 4);
    }

    #[test]
    fn bad_padding_and_length() {
        assert_eq!(decode("Zg=").unwrap_err().position(), 2);
        assert_eq!(decode("Zm8==").unwrap_err().position(), 3);
        assert_eq!(decode("Zm9v=").unwrap_err().position(), 4);
        assert_eq!(decode("=").unwrap_err().position(), 0);
        let err = decode("Zm9vY").unwrap_err();
        assert!(err.to_string().contains("ends mid-byte"), "{err}");
    }
}
