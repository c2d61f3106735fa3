output "bucket_name" {
  description = "Name of the images bucket (BUCKET_NAME of the functions)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the images bucket; object ARNs are <bucket_arn>/<key>."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional endpoint of the bucket (<bucket>.s3.<region>.amazonaws.com), where pre-signed URLs point."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
