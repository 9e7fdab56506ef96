//! Integration tests of hark-nlu, compiled into one binary.

mod corpus;
mod dynamic_values;
mod features;
mod home_assistant;
mod jsgf;
mod support;
mod trained_from_grammar;
mod training_data;
