/** Every error of this package starts with its name, as the other @ghes-sdk packages' do. */
export const PACKAGE = "@ghes-sdk/connect";
