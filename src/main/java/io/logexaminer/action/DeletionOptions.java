package io.logexaminer.action;

/**
 * What {@code down} deletes beyond the resources themselves.
 *
 * @param deleteData        delete every object version of buckets that hold data, ECR repositories with their images,
 *                          and the database secret at once
 * @param skipFinalSnapshot delete the database without a final snapshot
 */
public record DeletionOptions(boolean deleteData, boolean skipFinalSnapshot) {
}
