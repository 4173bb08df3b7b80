//! The spec's examples, each with the schema it must satisfy.
//!
//! Lowering finds them ([`generator::ir::Example`]: media types, parameters
//! and schema objects at any depth, with their pointers and the operation
//! they are written in); this module only hands them out.

use super::ContractValidator;

/// One example value and what it is checked against.
pub type SpecExample = generator::ir::Example;

/// Every example in the spec, operations first (document order), then
/// components.
pub fn spec_examples(validator: &ContractValidator) -> Vec<SpecExample> {
    validator.examples().to_vec()
}
