/*
 * make_customers_xlsx.c - writes customers.xlsx, the workbook the server and
 * web tests upload: a sheet "customers" with a title row, the header on row
 * 2 (id, name, dob) and three customers, one of them listed (Kim Sang-man),
 * one a listed company and one nobody, with the date of birth as an Excel
 * date. Strings go to the shared string table, as Excel writes them.
 *
 * Not part of the build; run once when the fixture has to change:
 *   cc make_customers_xlsx.c -lxlsxwriter -o /tmp/make && /tmp/make customers.xlsx
 */
#include <stdio.h>

#include <xlsxwriter.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "customers.xlsx";
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return 1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "customers");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "Onboarding batch", NULL);
    const char *header[] = { "id", "name", "dob" };
    for (int i = 0; i < 3; i++) worksheet_write_string(ws, 1, (lxw_col_t)i, header[i], NULL);
    worksheet_write_string(ws, 2, 0, "c1", NULL);
    worksheet_write_string(ws, 2, 1, "Kim Sang-man", NULL);
    lxw_datetime dob = { 1965, 4, 25, 0, 0, 0 };
    worksheet_write_datetime(ws, 2, 2, &dob, date);
    worksheet_write_string(ws, 3, 0, "c2", NULL);
    worksheet_write_string(ws, 3, 1, "Jinyong IT Cooperation Co Ltd", NULL);
    worksheet_write_string(ws, 4, 0, "c3", NULL);
    worksheet_write_string(ws, 4, 1, "Zzyzx Nobody", NULL);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "%s: %s\n", path, lxw_strerror(e));
        return 1;
    }
    return 0;
}
