//! curl script (in progress).

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::{Format, Lang, Parsed, Problem, ProblemKind};
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Curl;

pub fn register(_env: &mut Environment<'static>) {}

impl Format for Curl {
    fn lang(&self) -> Lang {
        Lang::Curl
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut p = Parsed::new(Lang::Curl);
        p.problems.push(Problem {
            kind: ProblemKind::NotStatic,
            span: 0..src.text.len().min(1),
            message: "reading this format is not supported yet".into(),
        });
        p
    }

    fn render(&self, _settings: &Settings) -> Result<String> {
        Err(Error::usage("generating this format is not supported yet"))
    }

    fn set_edits(
        &self,
        _src: &Source,
        _parsed: &Parsed,
        _key: &LibKey,
        _value: &Value,
    ) -> Result<Vec<Edit>> {
        Err(Error::usage("editing this format is not supported yet"))
    }
}
