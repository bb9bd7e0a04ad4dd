//! After the model: truncation, the post-processor (special tokens, pair templates, offset
//! trimming) and padding, applied in the reference's order.

pub(crate) mod padding;
pub(crate) mod processor;
pub(crate) mod truncation;
