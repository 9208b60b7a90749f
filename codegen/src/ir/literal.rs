//! Values written in the model (the `params` of protocol test cases), already checked against the
//! shapes they describe and resolved to what the generated code builds: Rust field names, union
//! variants, enum types, typed numbers, decoded timestamps. Emitters print them as they are.

/// A value of some shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A structure with some of its members set.
    Structure(StructureLiteral),
    /// A union with its one member set.
    Union(UnionLiteral),
    /// A list's items, in order.
    List(Vec<Literal>),
    /// A map's entries, sorted by key; each key is a [`Literal::String`] or a [`Literal::Enum`].
    Map(Vec<(Literal, Literal)>),
    /// A `string`.
    String(String),
    /// A string enum's value.
    Enum(EnumLiteral),
    /// An integer enum's value.
    IntEnum {
        /// The enum's shape id.
        shape: String,
        /// The value.
        value: i32,
    },
    /// A `boolean`.
    Boolean(bool),
    /// A `byte`, `short`, `integer` or `long`, in range for its type.
    Integer(i64),
    /// A `float` or `double`.
    Float(FloatLiteral),
    /// A `bigInteger` or `bigDecimal`, as its decimal text.
    BigNumber(String),
    /// A `blob`'s bytes.
    Blob(Vec<u8>),
    /// A `timestamp`.
    Timestamp(TimestampLiteral),
}

/// A structure value: its shape and the members that are set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructureLiteral {
    /// The structure's shape id.
    pub shape: String,
    /// The members set (not null), in model order.
    pub members: Vec<MemberLiteral>,
}

impl StructureLiteral {
    /// The value of the member named `name` in the model, when it is set.
    pub fn member(&self, name: &str) -> Option<&MemberLiteral> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// A structure member that is set.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberLiteral {
    /// The member name in the model.
    pub name: String,
    /// The Rust field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field holds a `Box`.
    pub boxed: bool,
    /// The value, without `Option` or `Box`.
    pub value: Literal,
}

/// A union value.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionLiteral {
    /// The union's shape id.
    pub shape: String,
    /// The member name in the model.
    pub member: String,
    /// The Rust variant.
    pub variant: String,
    /// Whether the variant holds a `Box`.
    pub boxed: bool,
    /// The member's value.
    pub value: Box<Literal>,
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumLiteral {
    /// The enum's shape id.
    pub shape: String,
    /// The wire value.
    pub value: String,
    /// The modeled variant with that value, or `None` for a value the enum does not list.
    pub variant: Option<String>,
}

/// A floating-point value and its type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatLiteral {
    /// `f64` (`double`) rather than `f32` (`float`).
    pub double: bool,
    /// The value.
    pub value: FloatValue,
}

/// A finite number or one of the special values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatValue {
    /// A finite number, in range for its type.
    Number(f64),
    /// `"NaN"`.
    NaN,
    /// `"Infinity"`.
    Infinity,
    /// `"-Infinity"`.
    NegInfinity,
}

/// A timestamp as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampLiteral {
    /// A date-time string, parsed by the generated code.
    DateTime(String),
    /// Seconds since the epoch (rounded towards the past) and nanoseconds.
    Epoch {
        /// Whole seconds.
        secs: i64,
        /// Nanoseconds past them.
        nanos: u32,
    },
}
