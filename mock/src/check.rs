//! Contract checks of requests, through the generator's contract validator.
//!
//! PENDING: wired to `generator::contract` once that module lands; until
//! then every value passes.

/// One schema violation, as the mock reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where in the instance (JSON pointer).
    pub instance_pointer: String,
    /// The missing property, for `required` violations.
    pub missing_property: Option<String>,
    /// One line saying what is wrong.
    pub message: String,
}

impl Violation {
    /// The pointer of the field at fault: for a missing property, the
    /// property itself rather than the object that lacks it.
    pub fn field_pointer(&self) -> String {
        match &self.missing_property {
            Some(name) => format!(
                "{}/{}",
                self.instance_pointer,
                name.replace('~', "~0").replace('/', "~1")
            ),
            None => self.instance_pointer.clone(),
        }
    }
}

/// Validates request parts against the spec.
#[derive(Debug, Default)]
pub struct Checker;

impl Checker {
    /// Violations of a query parameter's value.
    pub fn query_parameter(
        &self,
        _operation: &str,
        _name: &str,
        _value: &serde_json::Value,
    ) -> Vec<Violation> {
        Vec::new()
    }

    /// Violations of a request body.
    pub fn request_body(&self, _operation: &str, _value: &serde_json::Value) -> Vec<Violation> {
        Vec::new()
    }
}

/// serde_path_to_error's `a.b[0]` path → the JSON pointer `/a/b/0`.
pub fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut pointer = String::new();
    for part in path.split('.') {
        let mut rest = part;
        let name_end = rest.find('[').unwrap_or(rest.len());
        if name_end > 0 {
            pointer.push('/');
            pointer.push_str(&rest[..name_end].replace('~', "~0").replace('/', "~1"));
        }
        rest = &rest[name_end..];
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else { break };
            pointer.push('/');
            pointer.push_str(&inner[..close]);
            rest = &inner[close + 1..];
        }
    }
    pointer
}
