use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let config = geoevents::cli::Args::parse().into_config();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = geoevents::run(&config, &mut out, &mut std::io::stderr());
    let flushed = std::io::Write::flush(&mut out);
    match result.and_then(|()| flushed.map_err(geoevents::Error::Stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("geoevents: error: {:#}", anyhow::Error::from(e));
            ExitCode::FAILURE
        }
    }
}
