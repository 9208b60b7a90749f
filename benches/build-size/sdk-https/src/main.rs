//! One DescribeGlobalClusters call through aws-sdk-neptune over HTTPS, with the default
//! credential and region chains.

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = aws_config::load_from_env().await;
        let client = aws_sdk_neptune::Client::new(&config);
        match client.describe_global_clusters().send().await {
            Ok(output) => println!("{}", output.global_clusters().len()),
            Err(e) => eprintln!("{e}"),
        }
    });
}
