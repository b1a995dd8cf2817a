use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let config = geoevents::cli::Args::parse().into_config();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = geoevents::run(&config, &mut out, &mut std::io::stderr());
    let flushed = std::io::Write::flush(&mut out);
    match result.and_then(|o| flushed.map(|()| o).map_err(geoevents::Error::Stdout)) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        // The reader of our output has gone (`| head`): nothing more to say.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("geoevents: error: {}", geoevents::cli::error_text(&e));
            ExitCode::from(e.exit_code())
        }
    }
}
