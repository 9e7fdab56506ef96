//! Newtypes for names and ids, so the compiler tells a device from a household.

/// Declares a newtype over a shared string: cheap to clone, compared by value.
#[macro_export]
#[doc(hidden)]
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(::std::sync::Arc<str>);

        impl $name {
            /// Wraps a name.
            pub fn new(name: impl AsRef<str>) -> Self {
                Self(::std::sync::Arc::from(name.as_ref()))
            }

            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl From<&str> for $name {
            fn from(name: &str) -> Self {
                Self::new(name)
            }
        }

        // Hash and Eq are those of the text, so maps keyed by a name can be
        // searched with a plain &str.
        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

name_type!(
    /// A household: the people, devices and data that belong together.
    HouseholdId
);
name_type!(
    /// A device (a speaker, a satellite, a browser) of a household.
    DeviceId
);
name_type!(
    /// An API token's public id (never its secret).
    TokenId
);
name_type!(
    /// A dialogue session: the turns of one conversation.
    SessionId
);
