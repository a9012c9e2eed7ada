"""The raw files the geography reads, relative to the mirror (``../shared/data/raw``)."""

# The current ward set: ONS Wards (May 2024) BSC, England and Wales (London's are its May-2022 wards).
F_WARDS24 = "ukmaps_wards_may2024_bsc/converted/wards_may2024_ew_bsc.gpkg"
F_WARD_LU24 = (
    "ukmaps_wards_may2024_bsc/Ward_to_Local_Authority_District_to_CTYUA_to_RGN_to_CTRY_(May_2024)_Lookup_in_UK.csv"
)
F_LSOA21_EW = "ons_lsoa_dec2021_bsc/converted/lsoa_dec2021_ew_bsc.gpkg.gz"
F_LU_LSOA21_WD24 = "geographr_lookups/converted/lookup_lsoa21_ward24_ltla24.csv.gz"
F_LU_LSOA11_LSOA21 = "geographr_lookups/converted/lookup_lsoa11_lsoa21_ltla22.csv.gz"
F_WARDS14 = "gla_london_wards_2014/converted/London_Ward_CityMerged_2014.gpkg"
F_WARDS18 = "gla_london_wards_2018/converted/London_Ward_CityMerged_2018.gpkg"
F_LSOA11 = "gla_lsoa_2011_london/LSOA_2011_London_gen_MHW.shp"
F_LU_LSOA11_WD22_W = "gla_small_area_backseries_lookups/LSOA_2011_London_Ward_2022_London_combined.csv"
F_LU_LSOA11_WD14 = "geographr_lookups/converted/lookup_lsoa11_ward17.csv.gz"
F_LU_LSOA11_WD18 = "ons_lookup_lsoa11_wd19_lad19/LSOA11_WD19_LAD19_EW_LU.csv"
F_POP19_LSOA11 = "humaniverse_demographr_population/converted/population19_lsoa11_ew.csv.gz"
F_POP20_LSOA11 = "humaniverse_demographr_population/converted/population20_lsoa11_ew.csv.gz"
F_TS007A = "nomis_census2021_bulk_lsoa/census2021-ts007a-lsoa.csv"
