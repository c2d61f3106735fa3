output "table_name" {
  description = "Name of the records table."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the records table."
  value       = aws_dynamodb_table.this.arn
}

output "user_index_name" {
  description = "Name of the global secondary index keyed by userId and createdAt."
  value       = local.user_index_name
}

output "user_index_arn" {
  description = "ARN of the byUser index (what dynamodb:Query on the index is granted on)."
  value       = "${aws_dynamodb_table.this.arn}/index/${local.user_index_name}"
}
